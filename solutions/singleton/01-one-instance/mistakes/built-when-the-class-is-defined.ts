// Mistake: the instance is built by a static field initialiser, when the class is defined (that
// is, when the module is first imported), not on the first getInstance(). Every program that
// merely imports the module pays for a Config it may never use.
// Caught by "builds nothing when the module loads: the one Config is built by the first call".
// Hint: a static field's initialiser runs when the class is defined; "on the first call" means
// inside getInstance().
export class Config {
  static readonly #instance: Config = new Config();

  readonly #settings = new Map<string, string>([["theme", "light"]]);

  private constructor() {}

  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  static getInstance(): Config {
    return Config.#instance;
  }
}
