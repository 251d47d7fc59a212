import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getConfig, resetConfig } from "./config";

beforeEach(() => {
  resetConfig();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("importing the module", () => {
  it("builds nothing: the environment is read at the first getConfig(), not at import", async () => {
    vi.resetModules();
    const fresh = await import("./config");

    vi.stubEnv("APP_THEME", "dark");

    expect(fresh.getConfig().get("theme")).toBe("dark");
  });
});

describe("getConfig()", () => {
  it("reads the defaults and the APP_* environment variables", () => {
    vi.stubEnv("APP_LANGUAGE", "fr");

    const config = getConfig();

    expect(config.get("theme")).toBe("light");
    expect(config.get("language")).toBe("fr");
  });

  it("returns the same Config on every call", () => {
    expect(getConfig()).toBe(getConfig());
  });

  it("keeps the first snapshot when the environment changes later", () => {
    vi.stubEnv("APP_THEME", "dark");
    getConfig();

    vi.stubEnv("APP_THEME", "solarized");

    expect(getConfig().get("theme")).toBe("dark");
  });
});

describe("resetConfig()", () => {
  it("makes the next getConfig() build a new Config", () => {
    const before = getConfig();

    resetConfig();

    expect(getConfig()).not.toBe(before);
  });

  it("builds nothing itself: the next getConfig() reads the environment as it is then", () => {
    getConfig();
    resetConfig();

    vi.stubEnv("APP_THEME", "dark");

    expect(getConfig().get("theme")).toBe("dark");
  });

  it("is harmless before the first getConfig() and when called twice", () => {
    resetConfig();
    resetConfig();

    expect(getConfig()).toBe(getConfig());
  });
});
