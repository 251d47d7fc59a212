// Mistake: getInstance() builds a fresh Config on every call, so callers never share settings.
// Caught by "returns the same object on every call" and "shares a setting made by one caller".
export class Config {
  readonly #settings = new Map<string, string>([["theme", "light"]]);

  private constructor() {}

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
