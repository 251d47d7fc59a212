// Mistake: the Python `__new__` + `__init__` trap, translated. The object is shared, but every
// getInstance() call runs the set-up again and wipes what earlier callers stored.
// Caught by "shares a setting made by one caller with every other caller".
export class Config {
  static #instance: Config | undefined;

  #settings = new Map<string, string>();

  private constructor() {}

  #init(): void {
    this.#settings = new Map([["theme", "light"]]);
  }

  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  static getInstance(): Config {
    Config.#instance ??= new Config();
    Config.#instance.#init();
    return Config.#instance;
  }
}
