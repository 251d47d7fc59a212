// Mistake: a word-for-word port of Python's `__new__` singleton. A JavaScript constructor may
// return an existing object, so `new Config()` hands back the one instance at run time: but it
// still compiles, and it reads as if it made a fresh object. Caught by the type-level spec
// "cannot be constructed with new outside the class".
export class Config {
  static #instance: Config | undefined;

  readonly #settings = new Map<string, string>([["theme", "light"]]);

  constructor() {
    if (Config.#instance) {
      // biome-ignore lint/correctness/noConstructorReturn: the point of this mistake
      return Config.#instance;
    }
    Config.#instance = this;
  }

  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  static getInstance(): Config {
    return new Config();
  }
}
