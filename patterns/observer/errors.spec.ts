/**
 * The error helpers' answers for values the other specs do not throw: plain objects, anonymous
 * classes, an Error whose `message` is no string, prototypes whose `constructor` getter throws.
 * Each description is part of a message a user reads while a round reports its failures.
 */
import { describe, expect, it } from "vitest";
import {
  describeError,
  describeModel,
  isRecursionLimit,
  ObserverError,
  RecursionLimitError,
  VetoError,
} from "./errors";

/** An object whose prototype's `constructor` getter throws. */
function hostileConstructor(extra: object = {}): object {
  const proto = {
    get constructor(): never {
      throw new Error("constructor getter");
    },
  };
  return Object.assign(Object.create(proto) as object, extra);
}

/** An instance of a constructor whose `name` is a number. */
function withNumberName(): object {
  function Numbered() {}
  Object.defineProperty(Numbered, "name", { value: 42 });
  return Object.create(Numbered.prototype) as object;
}

describe("ObserverError names the observer", () => {
  it.each([
    ["a plain object", { update() {} }, "observer { … }.update()"],
    ["an instance of an anonymous class", new (class {})(), "observer { … }.update()"],
    ["an instance of a class named by a number", withNumberName(), "observer { … }.update()"],
    ["an instance of a named class", new (class Inbox {})(), "observer Inbox.update()"],
    [
      "an object whose constructor getter throws",
      hostileConstructor,
      "observer (unnamed).update()",
    ],
  ])("%s as %s", (_what, observer, named) => {
    // A function stands for the value it makes, which the test title could not print.
    const value = typeof observer === "function" ? observer() : observer;
    expect(new ObserverError(value, new Error("x")).message).toBe(`${named} threw: x`);
  });
});

describe("describeError", () => {
  it("describes an Error whose message is not a string instead of converting it", () => {
    const error = new Error("x");
    Object.defineProperty(error, "message", { value: ["a", "b"] });
    expect(describeError(error)).toBe("an array");
  });
});

describe("isRecursionLimit", () => {
  it("answers false, not just something falsy, for a value whose prototype cannot be read", () => {
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    expect(isRecursionLimit(proxy)).toBe(false);
    expect(isRecursionLimit(new RecursionLimitError(3))).toBe(true);
  });
});

describe("describeModel", () => {
  it.each([
    ["an object without a prototype", Object.create(null), "model (new)"],
    [
      "an object whose prototype has no constructor",
      Object.create(Object.create(null)),
      "model (new)",
    ],
  ])("names %s as a model", (_what, model, named) => {
    expect(describeModel(model)).toBe(named);
  });
});

describe("VetoError names the observer that vetoed", () => {
  class Post {
    id?: number = 3;
  }

  it.each([
    ["a plain object", { saving: () => false }, "observer"],
    ["an instance of a named class", new (class Moderation {})(), "Moderation"],
    ["an object whose constructor getter throws", hostileConstructor, "observer"],
  ])("%s as %s", (_what, observer, named) => {
    const value = typeof observer === "function" ? observer() : observer;
    expect(new VetoError("saving", new Post(), value).message).toBe(
      `Post #3: ${named}.saving() vetoed the save; nothing was changed`,
    );
  });
});
