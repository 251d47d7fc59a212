// Mistake: getConfig() is lazy, but resetConfig() builds the replacement straight away, so it
// reads the environment too early: a test that stubs a variable after the reset sees the old one.
// Caught by "builds nothing itself: the next getConfig() reads the environment as it is then".
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

let instance: Config | undefined;

export function getConfig(): Config {
  instance ??= new Config();
  return instance;
}

export function resetConfig(): void {
  instance = new Config();
}
