import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import {
  Circle,
  DuplicateShapeError,
  Rectangle,
  type Shape,
  ShapeFactory,
  Triangle,
  UnknownShapeError,
} from "./shape-factory";

/** A shape the factory has never heard of, for registering. */
class Hexagon implements Shape {
  readonly kind = "hexagon";
  draw(): string {
    return "hexagon";
  }
}

const makeHexagon = () => new Hexagon();

/** Runs `act` and returns what it threw (the test fails if it throws nothing). */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but the call returned normally");
}

let factory: ShapeFactory;

/** A kind register() accepts: a non-empty string without surrounding whitespace. */
const goodKind = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((kind) => kind.trim() === kind && kind !== "");

/** Checks that `act` throws a TypeError whose message names `name` in backticks. */
function expectTypeErrorNaming(name: string, act: () => unknown): void {
  const error = thrownBy(act);

  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toContain(`\`${name}\``);
}

beforeEach(() => {
  factory = new ShapeFactory();
});

describe("a new ShapeFactory", () => {
  it("knows circle, rectangle and triangle, in that order", () => {
    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
  });

  it.each([
    ["circle", Circle],
    ["rectangle", Rectangle],
    ["triangle", Triangle],
  ])("makes a %s, of that kind, that draws itself", (kind, type) => {
    const shape = factory.create(kind);

    expect(shape).toBeInstanceOf(type);
    expect(shape.kind).toBe(kind);
    expect(shape.draw()).toBe(kind);
  });
});

describe("register()", () => {
  it("adds a kind that create() then makes, without editing the factory", () => {
    factory.register("hexagon", makeHexagon);

    const shape = factory.create("hexagon");

    expect(shape).toBeInstanceOf(Hexagon);
    expect(shape.draw()).toBe("hexagon");
  });

  it("calls the maker once per create(), so every shape is new", () => {
    let calls = 0;
    factory.register("hexagon", () => {
      calls++;
      return new Hexagon();
    });

    const first = factory.create("hexagon");
    const second = factory.create("hexagon");

    expect(calls).toBe(2);
    expect(first).not.toBe(second);
  });

  it("lists the new kind after the built-in ones, in registration order", () => {
    factory.register("hexagon", makeHexagon);
    factory.register("star", makeHexagon);

    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle", "hexagon", "star"]);
  });

  it("keeps the registrations of separate factories apart", () => {
    const other = new ShapeFactory();

    factory.register("hexagon", makeHexagon);

    expect(() => other.create("hexagon")).toThrow(UnknownShapeError);
    expect(other.kinds()).toEqual(["circle", "rectangle", "triangle"]);
  });

  it.each(["__proto__", "constructor", "toString"])(
    "treats %s as a kind like any other, not as an object's inherited key",
    (kind) => {
      factory.register(kind, makeHexagon);

      expect(factory.create(kind)).toBeInstanceOf(Hexagon);
      expect(factory.kinds()).toContain(kind);
    },
  );
});

describe("register() for any acceptable kind", () => {
  it("registers it, creates it with its maker, and lists it last", () => {
    fc.assert(
      fc.property(goodKind, (kind) => {
        fc.pre(!["circle", "rectangle", "triangle"].includes(kind));
        const shapes = new ShapeFactory();
        const made = new Hexagon();

        shapes.register(kind, () => made);

        expect(shapes.create(kind)).toBe(made);
        expect(shapes.kinds()).toEqual(["circle", "rectangle", "triangle", kind]);
      }),
      { numRuns: 150 },
    );
  });

  it("treats kinds as case-sensitive: 'Circle' is a new kind, not a duplicate of 'circle'", () => {
    factory.register("Circle", makeHexagon);

    expect(factory.create("Circle")).toBeInstanceOf(Hexagon);
    expect(factory.create("circle")).toBeInstanceOf(Circle);
  });
});

describe("a duplicate registration", () => {
  it("throws a DuplicateShapeError naming the kind", () => {
    factory.register("hexagon", makeHexagon);

    const error = thrownBy(() => factory.register("hexagon", makeHexagon));

    expect(error).toBeInstanceOf(DuplicateShapeError);
    expect((error as DuplicateShapeError).name).toBe("DuplicateShapeError");
    expect((error as DuplicateShapeError).kind).toBe("hexagon");
    expect((error as Error).message).toBe('Shape "hexagon" is already registered.');
  });

  it.each(["circle", "rectangle", "triangle"])(
    "is rejected for the built-in kind %s too: it cannot be replaced",
    (kind) => {
      const error = thrownBy(() => factory.register(kind, makeHexagon));

      expect(error).toBeInstanceOf(DuplicateShapeError);
      expect((error as DuplicateShapeError).kind).toBe(kind);
      expect(factory.create(kind)).not.toBeInstanceOf(Hexagon);
    },
  );

  it("keeps the first maker in place", () => {
    factory.register("hexagon", makeHexagon);

    thrownBy(() => factory.register("hexagon", () => new Circle()));

    expect(factory.create("hexagon")).toBeInstanceOf(Hexagon);
    expect(factory.create("circle")).toBeInstanceOf(Circle);
  });
});

describe("register()'s arguments", () => {
  it.each(["", " ", " hexagon", "hexagon\n"])(
    "rejects the kind %j with a TypeError naming `kind`",
    (kind) => {
      const error = thrownBy(() => factory.register(kind, makeHexagon));

      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain("`kind`");
    },
  );

  it("rejects any kind with surrounding whitespace, leaving the factory unchanged", () => {
    fc.assert(
      fc.property(
        goodKind,
        fc.constantFrom(" ", "  ", "\t", "\n", "\r\n"),
        fc.constantFrom("before", "after", "both"),
        (kind, space, where) => {
          const padded =
            where === "before"
              ? space + kind
              : where === "after"
                ? kind + space
                : space + kind + space;

          expectTypeErrorNaming("kind", () => factory.register(padded, makeHexagon));
          expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each([
    ["a number", 42],
    ["NaN", Number.NaN],
    ["null", null],
    ["undefined", undefined],
    ["a boolean", true],
    ["an array", ["hexagon"]],
    ["a String object", new String("hexagon")],
    ["an object", { kind: "hexagon" }],
  ])("rejects a kind that is %s, not a string, with a TypeError naming `kind`", (_what, kind) => {
    expectTypeErrorNaming("kind", () => factory.register(kind as unknown as string, makeHexagon));
    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
  });

  it.each([
    ["a shape", new Hexagon()],
    ["undefined", undefined],
    ["null", null],
    ["a string", "makeHexagon"],
    ["a number", 0],
  ])(
    "rejects a maker that is %s, not a function, with a TypeError naming `make`",
    (_what, make) => {
      expectTypeErrorNaming("make", () =>
        factory.register("hexagon", make as unknown as () => Shape),
      );
      expect(() => factory.create("hexagon")).toThrow(UnknownShapeError);
    },
  );

  it("leaves the factory unchanged after a rejected registration", () => {
    thrownBy(() => factory.register(" hexagon", makeHexagon));
    thrownBy(() => factory.register("hexagon", "not a maker" as unknown as () => Shape));

    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
  });
});

describe("the function register() returns", () => {
  it("unregisters the kind: create() then throws an UnknownShapeError", () => {
    const unregister = factory.register("hexagon", makeHexagon);

    unregister();

    expect(() => factory.create("hexagon")).toThrow(UnknownShapeError);
    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
  });

  it("lets the kind be registered again afterwards", () => {
    factory.register("hexagon", () => new Circle())();

    factory.register("hexagon", makeHexagon);

    expect(factory.create("hexagon")).toBeInstanceOf(Hexagon);
  });

  it("does nothing when called a second time", () => {
    const unregister = factory.register("hexagon", makeHexagon);

    unregister();
    unregister();

    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
  });

  it("never removes a later registration of the same kind, even with the same maker", () => {
    const stale = factory.register("hexagon", makeHexagon);
    stale();
    factory.register("hexagon", makeHexagon);

    stale();

    expect(factory.create("hexagon")).toBeInstanceOf(Hexagon);
  });
});

describe("create() for a kind nobody registered", () => {
  it("throws an UnknownShapeError listing the kinds registered now, new ones included", () => {
    factory.register("hexagon", makeHexagon);

    const error = thrownBy(() => factory.create("octagon"));

    expect(error).toBeInstanceOf(UnknownShapeError);
    expect((error as Error).message).toBe(
      'Unknown shape "octagon". Known shapes: circle, rectangle, triangle, hexagon.',
    );
  });

  it("treats kinds as case-sensitive: 'Circle' is unknown", () => {
    expect(() => factory.create("Circle")).toThrow(UnknownShapeError);
  });

  it("carries the kind as it was asked for and the kinds registered now", () => {
    const unregister = factory.register("hexagon", makeHexagon);
    factory.register("star", makeHexagon);
    unregister();

    const error = thrownBy(() => factory.create("octagon"));

    expect(error).toBeInstanceOf(UnknownShapeError);
    expect((error as UnknownShapeError).name).toBe("UnknownShapeError");
    expect((error as UnknownShapeError).kind).toBe("octagon");
    expect((error as UnknownShapeError).knownKinds).toEqual([
      "circle",
      "rectangle",
      "triangle",
      "star",
    ]);
  });

  it("treats any kind not registered exactly, look-alikes of a registered one included, as unknown", () => {
    factory.register("hexagon", makeHexagon);
    const registered = ["circle", "rectangle", "triangle", "hexagon"];
    const lookalike = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc
        .tuple(
          fc.constantFrom(...registered),
          fc.constantFrom(" ", "\t", "\n", "s", "X"),
          fc.boolean(),
        )
        .map(([kind, extra, before]) => (before ? extra + kind : kind + extra)),
      fc.constantFrom(...registered).map((kind) => kind.toUpperCase()),
      fc.constantFrom(...registered).map((kind) => kind.slice(0, -1)),
    );
    fc.assert(
      fc.property(lookalike, (kind) => {
        fc.pre(!registered.includes(kind));
        const error = thrownBy(() => factory.create(kind));

        expect(error).toBeInstanceOf(UnknownShapeError);
        expect((error as UnknownShapeError).kind).toBe(kind);
        expect((error as UnknownShapeError).knownKinds).toEqual(registered);
      }),
      { numRuns: 200 },
    );
  });
});

describe("kinds() after unregistering", () => {
  it("lists a kind registered again at the end, where its new registration puts it", () => {
    const unregister = factory.register("hexagon", makeHexagon);
    factory.register("star", makeHexagon);

    unregister();
    factory.register("hexagon", makeHexagon);

    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle", "star", "hexagon"]);
  });
});

describe("kinds()", () => {
  it("returns a copy: changing it registers nothing", () => {
    factory.kinds().push("hexagon");

    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
    expect(() => factory.create("hexagon")).toThrow(UnknownShapeError);
  });
});
