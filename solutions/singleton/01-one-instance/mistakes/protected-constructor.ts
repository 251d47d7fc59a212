// Mistake: a protected constructor stops `new Config()`, but any subclass may declare a public
// constructor and build as many Configs as it likes. Caught by the type-level spec
// "cannot be subclassed into a second way to make one".
export class Config {
  static #instance: Config | undefined;

  readonly #settings = new Map<string, string>([["theme", "light"]]);

  protected constructor() {}

  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  static getInstance(): Config {
    Config.#instance ??= new Config();
    return Config.#instance;
  }
}
