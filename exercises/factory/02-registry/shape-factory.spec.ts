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
  ])("makes a %s", (kind, type) => {
    expect(factory.create(kind)).toBeInstanceOf(type);
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

describe("a duplicate registration", () => {
  it("throws a DuplicateShapeError naming the kind", () => {
    factory.register("hexagon", makeHexagon);

    const error = thrownBy(() => factory.register("hexagon", makeHexagon));

    expect(error).toBeInstanceOf(DuplicateShapeError);
    expect((error as Error).message).toBe('Shape "hexagon" is already registered.');
  });

  it("is rejected for a built-in kind too: 'circle' cannot be replaced", () => {
    expect(() => factory.register("circle", makeHexagon)).toThrow(DuplicateShapeError);
  });

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

  it("rejects a kind that is not a string with a TypeError naming `kind`", () => {
    const error = thrownBy(() => factory.register(42 as unknown as string, makeHexagon));

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain("`kind`");
  });

  it("rejects a maker that is not a function with a TypeError naming `make`", () => {
    const error = thrownBy(() =>
      factory.register("hexagon", new Hexagon() as unknown as () => Shape),
    );

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain("`make`");
  });

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
});

describe("kinds()", () => {
  it("returns a copy: changing it registers nothing", () => {
    factory.kinds().push("hexagon");

    expect(factory.kinds()).toEqual(["circle", "rectangle", "triangle"]);
    expect(() => factory.create("hexagon")).toThrow(UnknownShapeError);
  });
});
