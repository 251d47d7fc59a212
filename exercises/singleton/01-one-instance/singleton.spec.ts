import { describe, expect, it } from "vitest";
import { Config } from "./singleton";

describe("Config.getInstance()", () => {
  it("returns a Config", () => {
    expect(Config.getInstance()).toBeInstanceOf(Config);
  });

  it("returns the same object on every call", () => {
    expect(Config.getInstance()).toBe(Config.getInstance());
  });

  it("shares state between every caller", () => {
    Config.getInstance().settings.set("theme", "dark");
    expect(Config.getInstance().settings.get("theme")).toBe("dark");
  });
});
