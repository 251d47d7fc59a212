// Mistake: the reset clears a variable that getConfig() does not read. The getter memoises in a
// closure of its own, so resetConfig() has nothing to do with it and the old Config lives on.
// Caught by "makes the next getConfig() build a new Config" and "builds nothing itself: the next
// getConfig() reads the environment as it is then".
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

function memoise<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

export const getConfig = memoise(() => {
  instance = new Config();
  return instance;
});

export function resetConfig(): void {
  instance = undefined;
}
