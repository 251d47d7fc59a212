// Mistake: lazy taken too far. Nothing is kept, so every call reads the environment again:
// callers get different objects, and settings change under their feet mid-run.
// Caught by "returns the same Config on every call" and "keeps the first snapshot when the
// environment changes later".
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

export function getConfig(): Config {
  return new Config();
}

export function resetConfig(): void {
  // Nothing to forget.
}
