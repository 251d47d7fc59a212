import fc from "fast-check";
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

/** Each kind's dimensions, as create()'s options name them. */
const dimensionsOf = {
  circle: ["radius"],
  rectangle: ["width", "height"],
  triangle: ["base", "height"],
} as const;
const kinds = ["circle", "rectangle", "triangle"] as const;

/** A dimension create() accepts: a positive finite number. */
const goodDimension = fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true });
/** A number that is not a positive finite one. */
const badNumber = fc.oneof(
  fc.double({ max: 0, noNaN: true }),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);
/** A value that is not a number at all. */
const notANumber = fc
  .anything({ key: fc.stringMatching(/^[a-z]{1,5}$/) })
  .filter((value) => typeof value !== "number");

/** Valid options for `kind`, with `name` (one of its dimensions) set to `value`. */
function optionsWith(
  kind: (typeof kinds)[number],
  sizes: readonly number[],
  name: string,
  value: unknown,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  dimensionsOf[kind].forEach((dimension, i) => {
    options[dimension] = sizes[i];
  });
  options[name] = value;
  return options;
}

describe("create()", () => {
  it("makes a Circle with the given radius", () => {
    const circle = create("circle", { radius: 2 });

    expect(circle).toBeInstanceOf(Circle);
    expect(circle.radius).toBe(2);
    expect(circle.area()).toBeCloseTo(Math.PI * 4);
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

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])(
    "treats %s, a key every object inherits, as an unknown kind",
    (kind) => {
      const error = thrownBy(() => createUntyped(kind, {}));

      expect(error).toBeInstanceOf(UnknownShapeError);
      expect((error as UnknownShapeError).kind).toBe(kind);
    },
  );

  it.each(["Circle", "CIRCLE", " circle", "circle ", "circle\n", "circles", "circ", "rect", ""])(
    "treats %j, not exactly a kind, as unknown, and carries the kind and the known kinds",
    (kind) => {
      const error = thrownBy(() => createUntyped(kind, { radius: 2 }));

      expect(error).toBeInstanceOf(UnknownShapeError);
      expect(error.name).toBe("UnknownShapeError");
      expect((error as UnknownShapeError).kind).toBe(kind);
      expect((error as UnknownShapeError).knownKinds).toEqual(["circle", "rectangle", "triangle"]);
    },
  );

  it.each([undefined, null, 2, "radius: 2", true])(
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

  it.each([0, -0, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "rejects a radius of %s with a RangeError naming `options.radius`",
    (radius) => {
      const error = thrownBy(() => create("circle", { radius }));

      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toContain("`options.radius`");
    },
  );

  it.each([
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    [-2.5, "-2.5"],
  ])("says which number it got: a radius of %s is reported as got %s", (radius, shown) => {
    const error = thrownBy(() => create("circle", { radius }));

    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe(`\`options.radius\` must be a positive finite number, got ${shown}`);
  });

  it.each([
    ["a boolean", true],
    ["null", null],
    ["an array", [2]],
    ["a Number object", new Number(2)],
    ["a bigint", 2n],
    ["an object", { value: 2 }],
  ])("rejects a radius that is %s with a TypeError naming `options.radius`", (_what, radius) => {
    const error = thrownBy(() => createUntyped("circle", { radius }));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain("`options.radius`");
  });

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

describe("create()'s checks, for every kind and every dimension", () => {
  it("make the shape from any positive finite dimensions", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.array(goodDimension, { minLength: 2, maxLength: 2 }),
        (kind, sizes) => {
          const options = optionsWith(kind, sizes, dimensionsOf[kind][0], sizes[0]);

          const shape = createUntyped(kind, options) as unknown as Record<string, unknown>;

          expect(shape.kind).toBe(kind);
          for (const name of dimensionsOf[kind]) expect(shape[name]).toBe(options[name]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("name the one dimension that is not a positive finite number, with a RangeError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.nat(1),
        fc.array(goodDimension, { minLength: 2, maxLength: 2 }),
        badNumber,
        (kind, which, sizes, bad) => {
          const names = dimensionsOf[kind];
          const name = names[which % names.length] as string;

          const error = thrownBy(() => createUntyped(kind, optionsWith(kind, sizes, name, bad)));

          expect(error).toBeInstanceOf(RangeError);
          expect(error.message).toContain(`\`options.${name}\` must be a positive finite number`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("name the one dimension that is not a number at all, with a TypeError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.nat(1),
        fc.array(goodDimension, { minLength: 2, maxLength: 2 }),
        notANumber,
        (kind, which, sizes, bad) => {
          const names = dimensionsOf[kind];
          const name = names[which % names.length] as string;

          const error = thrownBy(() => createUntyped(kind, optionsWith(kind, sizes, name, bad)));

          expect(error).toBeInstanceOf(TypeError);
          expect(error.message).toContain(`\`options.${name}\` must be a number`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
