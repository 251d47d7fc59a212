import { describe, expect, it } from "vitest";
import { Circle, createShape, Rectangle, Triangle, UnknownShapeError } from "./shapes";

/** Runs `act` and returns what it threw (the test fails if it throws nothing). */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but the call returned normally");
}

describe("createShape() for a known kind", () => {
  it.each([
    ["circle", Circle],
    ["rectangle", Rectangle],
    ["triangle", Triangle],
  ])("makes a %s", (kind, type) => {
    const shape = createShape(kind);

    expect(shape).toBeInstanceOf(type);
    expect(shape.kind).toBe(kind);
  });

  it("makes shapes that draw themselves", () => {
    expect(createShape("circle").draw()).toBe("circle at (0, 0)");
    expect(createShape("rectangle").draw()).toBe("rectangle at (0, 0)");
    expect(createShape("triangle").draw()).toBe("triangle at (0, 0)");
  });
});

describe("createShape() on every call", () => {
  it("returns a new shape, never one it handed out before", () => {
    expect(createShape("circle")).not.toBe(createShape("circle"));
  });

  it("keeps shapes independent: moving one leaves another where it was", () => {
    const first = createShape("triangle");
    const second = createShape("triangle");

    first.x = 10;
    first.y = 20;

    expect(first.draw()).toBe("triangle at (10, 20)");
    expect(second.draw()).toBe("triangle at (0, 0)");
  });
});

describe("createShape() for an unknown kind", () => {
  it("throws an UnknownShapeError rather than returning undefined", () => {
    const error = thrownBy(() => createShape("hexagon"));

    expect(error).toBeInstanceOf(UnknownShapeError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("UnknownShapeError");
  });

  it("quotes the unknown kind in the message", () => {
    expect(() => createShape("hexagon")).toThrow('Unknown shape "hexagon"');
  });

  it("lists every known kind in the message", () => {
    expect(() => createShape("hexagon")).toThrow(
      'Unknown shape "hexagon". Known shapes: circle, rectangle, triangle.',
    );
  });

  it("carries the kind asked for and the known kinds, for code that handles it", () => {
    const error = thrownBy(() => createShape("hexagon")) as UnknownShapeError;

    expect(error.kind).toBe("hexagon");
    expect(error.knownKinds).toEqual(["circle", "rectangle", "triangle"]);
  });

  it("treats kinds as case-sensitive: 'Circle' is unknown", () => {
    expect(() => createShape("Circle")).toThrow(UnknownShapeError);
  });

  it("treats the empty string as unknown", () => {
    expect(() => createShape("")).toThrow('Unknown shape "". Known shapes:');
  });

  it.each(["constructor", "toString", "__proto__"])(
    "treats %s, a key every object inherits, as unknown",
    (kind) => {
      expect(() => createShape(kind)).toThrow(UnknownShapeError);
    },
  );
});
