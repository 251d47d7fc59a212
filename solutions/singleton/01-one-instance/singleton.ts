/**
 * The application's one configuration object: every module reads and writes the same settings.
 * `Config.getInstance()` returns the same `Config` on every call; `new Config()` and subclasses
 * outside the class do not compile.
 */
export class Config {
  // `#` keeps the field truly private at run time too, not only to the compiler.
  static #instance: Config | undefined;

  readonly #settings = new Map<string, string>([["theme", "light"]]);

  // Private: `new Config()` and `class X extends Config` are compile errors outside the class.
  private constructor() {}

  /** The value of a setting, or `undefined` if it was never set. */
  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  /** Changes a setting for every holder of the one Config. */
  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  static getInstance(): Config {
    // `??=` creates the instance on the first call only; every later call returns the same one.
    Config.#instance ??= new Config();
    return Config.#instance;
  }
}
