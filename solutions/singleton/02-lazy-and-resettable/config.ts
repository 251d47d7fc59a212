/** The application's settings: built-in defaults, overridden by `APP_*` environment variables. */
class Config {
  readonly #settings: ReadonlyMap<string, string>;

  /** Reads the environment once, now: a Config is a snapshot (`APP_THEME=dark` → "theme"). */
  constructor(env: Readonly<Record<string, string | undefined>> = process.env) {
    const settings = new Map([
      ["theme", "light"],
      ["language", "en"],
    ]);
    for (const [name, value] of Object.entries(env)) {
      if (name.startsWith("APP_") && value !== undefined) {
        settings.set(name.slice("APP_".length).toLowerCase(), value);
      }
    }
    this.#settings = settings;
  }

  /** The value of a setting, or `undefined` if it has none. */
  get(key: string): string | undefined {
    return this.#settings.get(key);
  }
}

// Only the type leaves the module: nobody else can build a second Config.
export type { Config };

// Module state is the idiomatic singleton in JavaScript: a module is evaluated once, and every
// importer shares its variables. `undefined` until the first getConfig(), so importing is free.
let instance: Config | undefined;

/** The one Config, built on the first call (never at import time), then shared by every caller. */
export function getConfig(): Config {
  instance ??= new Config();
  return instance;
}

/** For tests only: forgets the Config, so that the next getConfig() builds (and reads) anew. */
export function resetConfig(): void {
  instance = undefined;
}
