import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { badArgument, describe as describeValue } from "./describe";

describe("describe(): a value as every pattern's error messages show it", () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const throwingPrototype = new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error("no prototype for you");
      },
    },
  );
  class Clock {}

  it.each([
    [null, "null"],
    [undefined, "undefined"],
    [42, "42"],
    [-0, "-0"],
    [Number.NaN, "NaN"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    [10n, "10n"],
    [true, "true"],
    [Symbol("depth"), "Symbol(depth)"],
    ["x".repeat(40), JSON.stringify("x".repeat(40))],
    ["y".repeat(41), JSON.stringify(`${"y".repeat(40)}…`)],
    [function audit() {}, "function audit"],
    [[() => {}][0], "a function"],
    [[1, 2], "an array"],
    [new Map(), "an instance of Map"],
    [new Clock(), "an instance of Clock"],
    [{ a: 1 }, "an object"],
    [Object.create(null), "an object"],
  ])("shows %o as %s", (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it("shows a revoked Proxy, or one whose traps throw, as an unreadable value", () => {
    expect(describeValue(revoked.proxy)).toBe("an unreadable value");
    expect(describeValue(throwingPrototype)).toBe("an unreadable value");
  });

  it("never throws and stays short, whatever it is given", () => {
    fc.assert(
      fc.property(fc.anything({ key: fc.stringMatching(/^[a-z]{1,5}$/) }), (value) => {
        expect(describeValue(value).length).toBeLessThanOrEqual(64);
      }),
    );
  });
});

describe("badArgument(): the one message every bad argument gets", () => {
  it("names the argument, what it must be and the value, as a TypeError by default", () => {
    const error = badArgument("options.width", "a positive number", -1);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("`options.width` must be a positive number, got -1");
  });

  it("builds the kind of error it is given, describing even an unreadable value", () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const error = badArgument("timeout", "at most 2147483647", revoked.proxy, RangeError);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("`timeout` must be at most 2147483647, got an unreadable value");
  });
});
