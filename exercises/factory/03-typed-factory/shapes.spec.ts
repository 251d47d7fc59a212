import { describe, expect, it } from "vitest";
import { Circle, create, Rectangle, type Shape, Triangle, UnknownShapeError } from "./shapes";

/**
 * `create()` as plain JavaScript, or data parsed from JSON, sees it: no types to stop a wrong
 * call. The run-time checks are all that is left.
 */
const createUntyped = create as unknown as (kind: string, options?: unknown) => Shape;

/** Runs `act` and returns what it threw (the test fails if it throws nothing). */
function thrownBy(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw, but the call returned normally");
}

describe("create()", () => {
  it("makes a Circle with the given radius", () => {
    const circle = create("circle", { radius: 2 });

    expect(circle).toBeInstanceOf(Circle);
    expect(circle.radius).toBe(2);
    expect(circle.draw()).toBe("circle (radius 2)");
  });

  it("makes a Rectangle with the given width and height", () => {
    const rectangle = create("rectangle", { width: 3, height: 4 });

    expect(rectangle).toBeInstanceOf(Rectangle);
    expect(rectangle.area()).toBe(12);
    expect(rectangle.draw()).toBe("rectangle (3 x 4)");
  });

  it("makes a Triangle with the given base and height", () => {
    const triangle = create("triangle", { base: 3, height: 4 });

    expect(triangle).toBeInstanceOf(Triangle);
    expect(triangle.area()).toBe(6);
    expect(triangle.draw()).toBe("triangle (base 3, height 4)");
  });

  it("returns a new shape on every call, even for equal options", () => {
    const options = { radius: 2 };

    expect(create("circle", options)).not.toBe(create("circle", options));
  });
});

describe("create()'s checks at run time, where the types are gone", () => {
  it("throws an UnknownShapeError listing the known kinds for an unknown kind", () => {
    const error = thrownBy(() => createUntyped("hexagon", { side: 2 }));

    expect(error).toBeInstanceOf(UnknownShapeError);
    expect(error.message).toBe(
      'Unknown shape "hexagon". Known shapes: circle, rectangle, triangle.',
    );
  });

  it.each(["constructor", "toString"])(
    "treats %s, a key every object inherits, as an unknown kind",
    (kind) => {
      expect(() => createUntyped(kind, {})).toThrow(UnknownShapeError);
    },
  );

  it.each([undefined, null, 2, "radius: 2"])(
    "rejects the options %j with a TypeError naming `options`",
    (options) => {
      const error = thrownBy(() => createUntyped("circle", options));

      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("`options`");
    },
  );

  it("rejects a negative radius with a RangeError naming `options.radius`", () => {
    const error = thrownBy(() => create("circle", { radius: -1 }));

    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("`options.radius` must be a positive finite number, got -1");
  });

  it.each([0, Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects a radius of %s with a RangeError naming `options.radius`",
    (radius) => {
      const error = thrownBy(() => create("circle", { radius }));

      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toContain("`options.radius`");
    },
  );

  it("rejects a radius that is not a number with a TypeError naming `options.radius`", () => {
    const error = thrownBy(() => createUntyped("circle", { radius: "2" }));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("`options.radius` must be a number, got string");
  });

  it("names the very option that is wrong: a rectangle's `options.height`", () => {
    const error = thrownBy(() => create("rectangle", { width: 3, height: -4 }));

    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toContain("`options.height`");
  });

  it("names a triangle's missing `options.base`", () => {
    const error = thrownBy(() => createUntyped("triangle", { height: 4 }));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("`options.base` must be a number, got undefined");
  });
});
