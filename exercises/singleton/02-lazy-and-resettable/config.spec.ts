import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getConfig, resetConfig } from "./config";

/**
 * Forgets the Config between tests. An unwritten resetConfig() (the stub's TODO error) is let
 * through here, so that a student sees what each test really checks; its own tests still fail.
 */
function resetIfWritten(): void {
  try {
    resetConfig();
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("TODO("))) throw error;
  }
}

beforeEach(() => {
  resetIfWritten();
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

  it("keeps the defaults where no APP_* variable overrides them", () => {
    const config = getConfig();

    expect(config.get("theme")).toBe("light");
    expect(config.get("language")).toBe("en");
  });

  it("reads only the APP_* variables: others are not settings", () => {
    vi.stubEnv("OLD_THEME", "dark");
    vi.stubEnv("THEME", "dark");

    expect(getConfig().get("theme")).toBe("light");
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

  it("is harmless on a freshly loaded module, before anything was built", async () => {
    vi.resetModules();
    const fresh = await import("./config");

    fresh.resetConfig();
    vi.stubEnv("APP_THEME", "dark");

    expect(fresh.getConfig().get("theme")).toBe("dark");
    expect(fresh.getConfig()).toBe(fresh.getConfig());
  });

  it("called twice after a getConfig(), still builds nothing: the next getConfig() reads the environment then", () => {
    const before = getConfig();
    resetConfig();
    resetConfig();

    vi.stubEnv("APP_THEME", "dark");

    const after = getConfig();
    expect(after).not.toBe(before);
    expect(after.get("theme")).toBe("dark");
  });

  it("starts a new shared Config: the calls after the reset share it, with every setting read", () => {
    getConfig();
    resetConfig();
    vi.stubEnv("APP_LANGUAGE", "de");

    const first = getConfig();

    expect(getConfig()).toBe(first);
    expect(first.get("language")).toBe("de");
    expect(first.get("theme")).toBe("light");
  });
});
