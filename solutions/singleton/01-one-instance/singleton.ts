/** The application's one configuration object. */
export class Config {
  static #instance: Config | undefined;

  readonly settings = new Map<string, string>();

  // Private, so `new Config()` outside the class is a compile error.
  private constructor() {}

  static getInstance(): Config {
    Config.#instance ??= new Config();
    return Config.#instance;
  }
}
