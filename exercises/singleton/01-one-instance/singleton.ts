/**
 * The application's one configuration object.
 * `Config.getInstance()` returns the same `Config` every time, and `new Config()` outside the
 * class does not compile.
 */
export class Config {
  readonly settings = new Map<string, string>();

  // TODO: make the constructor private, keep the one instance in a static field,
  // and return it from getInstance().
  static getInstance(): Config {
    throw new Error("TODO(singleton/01): implement Config.getInstance()");
  }
}
