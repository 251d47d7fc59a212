/**
 * The application's one configuration object: every module reads and writes the same settings.
 * `Config.getInstance()` returns the same `Config` on every call; `new Config()` and subclasses
 * outside the class do not compile.
 */
export class Config {
  readonly #settings = new Map<string, string>([["theme", "light"]]);

  /** The value of a setting, or `undefined` if it was never set. */
  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  /** Changes a setting for every holder of the one Config. */
  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  // TODO: make the constructor private, keep the one instance in a static field,
  // and return it from getInstance() (creating it on the first call).
  static getInstance(): Config {
    throw new Error("TODO(singleton/01): implement Config.getInstance()");
  }
}
