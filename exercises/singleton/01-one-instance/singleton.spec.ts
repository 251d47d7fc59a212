import { describe, expect, it } from "vitest";
import { Config } from "./singleton";

describe("Config.getInstance()", () => {
  it("returns a Config", () => {
    expect(Config.getInstance()).toBeInstanceOf(Config);
  });

  it("returns the same object on every call", () => {
    const first = Config.getInstance();
    const second = Config.getInstance();

    expect(second).toBe(first);
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
