// Approach: A reusable lazy() helper
//
// - Gains: "build on first use, forget on reset" is written once and named; every other
//   module-level singleton (a logger, a client) reuses it, and it can be tested on its own.
// - Costs: one more abstraction for one variable. The `built` flag is needed because a lazy value
//   may legitimately be `undefined`; the answer key's `??=` is enough for a Config.

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

export type { Config };

/** A value built by `build` on the first get(), kept until reset(). */
function lazy<T>(build: () => T): { get(): T; reset(): void } {
  let built = false;
  let value: T | undefined;
  return {
    get() {
      if (!built) {
        value = build();
        built = true;
      }
      return value as T;
    },
    reset() {
      built = false;
      value = undefined;
    },
  };
}

const config = lazy(() => new Config());

/** The one Config, built on the first call (never at import time), then shared by every caller. */
export function getConfig(): Config {
  return config.get();
}

/** For tests only: forgets the Config, so that the next getConfig() builds (and reads) anew. */
export function resetConfig(): void {
  config.reset();
}
