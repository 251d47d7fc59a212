import { afterEach, describe, expect, it, vi } from "vitest";
import { Config } from "./singleton";

/**
 * A fresh copy of the module, loaded as if for the first time: the tests of laziness need a
 * `Config` class whose instance nobody has asked for yet.
 */
async function freshConfigClass(): Promise<typeof Config> {
  vi.resetModules();
  const fresh = await import("./singleton");
  return fresh.Config;
}

/**
 * Runs `act` and counts the Configs built meanwhile. A Config is built with its settings, a
 * `Map` holding the default theme (the code given in the stub): the count is the number of such
 * maps made while `act` runs.
 */
function configsBuiltDuring<T>(act: () => T): { result: T; built: number } {
  let built = 0;
  class WatchedMap<K, V> extends Map<K, V> {
    constructor(entries?: Iterable<readonly [K, V]> | null) {
      super(entries);
      if (this.get("theme" as K) === "light") built++;
    }
  }
  vi.stubGlobal("Map", WatchedMap);
  try {
    return { result: act(), built };
  } finally {
    vi.unstubAllGlobals();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Config.getInstance()", () => {
  it("returns a Config", () => {
    expect(Config.getInstance()).toBeInstanceOf(Config);
  });

  it("returns the same object on every call", () => {
    const first = Config.getInstance();
    const second = Config.getInstance();

    expect(second).toBe(first);
  });

  it("returns the very object it built on the first call, also on the calls after it", async () => {
    const FreshConfig = await freshConfigClass();

    const first = FreshConfig.getInstance();

    expect(first).toBeInstanceOf(FreshConfig);
    expect(FreshConfig.getInstance()).toBe(first);
    expect(FreshConfig.getInstance()).toBe(first);
  });
});

describe("the instance is built lazily", () => {
  it("builds nothing when the module loads: the one Config is built by the first call", async () => {
    const FreshConfig = await freshConfigClass();

    const { built } = configsBuiltDuring(() => FreshConfig.getInstance());

    expect(built).toBe(1);
  });

  it("builds exactly one Config, and nothing on the calls after the first", async () => {
    const FreshConfig = await freshConfigClass();
    configsBuiltDuring(() => FreshConfig.getInstance());

    const { built } = configsBuiltDuring(() => {
      FreshConfig.getInstance();
      FreshConfig.getInstance();
    });

    expect(built).toBe(0);
  });
});

describe("the shared state", () => {
  it("shares a setting made by one caller with every other caller", () => {
    const header = Config.getInstance();
    header.set("language", "fr");

    const footer = Config.getInstance();

    expect(footer.get("language")).toBe("fr");
  });

  it("keeps a changed default rather than restoring it on the next call", () => {
    Config.getInstance().set("theme", "dark");

    expect(Config.getInstance().get("theme")).toBe("dark");
  });
});
