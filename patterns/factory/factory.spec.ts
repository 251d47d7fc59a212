import { describe, expect, it } from "vitest";
import { thrownBy } from "../../kata/spec-helpers";
import { DuplicateKindError, UnknownKindError } from "./errors";
import { createFactory, type Factory } from "./factory";

class Dot {
  constructor(readonly size = 1) {}
}

interface Makers {
  dot: (options?: { size: number }) => Dot;
  box: () => { box: true };
}

const makeDot = (options?: { size: number }) => new Dot(options?.size);
const makeBox = () => ({ box: true }) as const;

/** A factory typed with an open map, for calls the types would otherwise forbid. */
function untyped(factory: Factory<Makers>) {
  return factory as unknown as {
    create(kind: unknown, ...options: unknown[]): unknown;
    register(kind: unknown, make: unknown): () => void;
  };
}

describe("createFactory()", () => {
  it("registers the given makers, in their key order", () => {
    const factory = createFactory("thing", { dot: makeDot, box: makeBox });

    expect(factory.name).toBe("thing");
    expect(factory.kinds()).toEqual(["dot", "box"]);
  });

  it("starts empty without makers", () => {
    expect(createFactory<Makers>("thing").kinds()).toEqual([]);
  });

  it("gives every factory its own registry, even from one makers object", () => {
    const makers = { dot: makeDot };
    const first = createFactory<Makers>("thing", makers);
    const second = createFactory<Makers>("thing", makers);

    first.register("box", makeBox);

    expect(second.has("box")).toBe(false);
    expect(makers).toEqual({ dot: makeDot });
  });

  it("returns a frozen factory: nobody can swap create() for everyone else", () => {
    const factory = createFactory("thing", { dot: makeDot });

    expect(Object.isFrozen(factory)).toBe(true);
    expect(() => {
      (factory as { create: unknown }).create = () => "hijacked";
    }).toThrow(TypeError);
  });

  it.each(["", "  ", 42, undefined])(
    "rejects the name %j with a TypeError naming `name`",
    (name) => {
      const error = thrownBy(() => createFactory(name as string));

      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("`name`");
    },
  );

  it.each([null, "dot", [makeDot]])(
    "rejects makers %j with a TypeError naming `makers`",
    (makers) => {
      const error = thrownBy(() => createFactory("thing", makers as never));

      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("`makers`");
    },
  );

  it.each([
    ['"  "', "  "],
    ["42", 42],
    ["undefined", undefined],
    ["null", null],
    ["function makeDot", makeDot],
    ["a function", () => undefined],
    ["an array", ["dot"]],
    ["an object", { dot: makeDot }],
  ])("shows a bad name in the TypeError as %s", (shown, name) => {
    const error = thrownBy(() => createFactory(name as string));

    expect(error.message).toBe(`\`name\` must be a non-empty string, got ${shown}`);
  });

  it("rejects a maker that is not a function with a TypeError naming its key", () => {
    const error = thrownBy(() => createFactory("thing", { dot: undefined }));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("`makers.dot` must be a function (a maker), got undefined");
  });

  it("rejects a blank key of `makers` with a TypeError", () => {
    const error = thrownBy(() => createFactory("thing", { " dot": makeDot }));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      '`makers` must be an object whose keys are non-empty strings without surrounding whitespace, got " dot"',
    );
  });
});

describe("create()", () => {
  it("passes the options to the maker and returns what it makes", () => {
    const factory = createFactory("thing", { dot: makeDot });

    expect(factory.create("dot", { size: 3 })).toEqual(new Dot(3));
  });

  it("calls the maker on every call: a new product each time", () => {
    const factory = createFactory("thing", { dot: makeDot });

    expect(factory.create("dot")).not.toBe(factory.create("dot"));
  });

  it("calls a maker without options with none", () => {
    const seen: unknown[][] = [];
    const factory = createFactory("thing", {
      box: (...args: never[]) => {
        seen.push(args);
        return makeBox();
      },
    });

    factory.create("box");

    expect(seen).toEqual([[]]);
  });

  it("lets a maker's own error through unchanged", () => {
    const failure = new RangeError("too big");
    const factory = createFactory("thing", {
      dot: (): Dot => {
        throw failure;
      },
    });

    expect(thrownBy(() => factory.create("dot"))).toBe(failure);
  });

  it("rejects a maker that returns undefined or null with a TypeError naming the kind", () => {
    const factory = createFactory("thing", { dot: () => undefined, box: () => null });

    const error = thrownBy(() => factory.create("dot"));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'the maker of thing kind "dot" returned undefined: a maker must return what it makes',
    );
    expect(() => factory.create("box")).toThrow("returned null");
  });

  it.each([42, undefined, null, { kind: "dot" }])(
    "rejects the kind %j, not a string, with a TypeError naming `kind`",
    (kind) => {
      const error = thrownBy(() => untyped(createFactory("thing", { dot: makeDot })).create(kind));

      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("`kind`");
    },
  );
});

describe("create() for a kind with no maker", () => {
  const factory = createFactory("shape", {
    circle: makeDot,
    rectangle: makeDot,
    triangle: makeDot,
  });

  it("throws an UnknownKindError naming the kind and listing the registered kinds", () => {
    const error = thrownBy(() => untyped(factory as never).create("hexagon"));

    expect(error).toBeInstanceOf(UnknownKindError);
    expect(error.name).toBe("UnknownKindError");
    expect(error.message).toBe(
      'Unknown shape kind "hexagon". Known kinds: circle, rectangle, triangle.',
    );
  });

  it("carries the factory, the kind and a frozen copy of the known kinds", () => {
    const error = thrownBy(() => untyped(factory as never).create("hexagon")) as UnknownKindError;

    expect(error.factory).toBe("shape");
    expect(error.kind).toBe("hexagon");
    expect(error.knownKinds).toEqual(["circle", "rectangle", "triangle"]);
    expect(Object.isFrozen(error.knownKinds)).toBe(true);
  });

  it.each([
    ["Circle", "circle"],
    [" circle ", "circle"],
    ["TRIANGLE", "triangle"],
  ])("suggests the near miss for %j", (kind, meant) => {
    expect(() => untyped(factory as never).create(kind)).toThrow(`Did you mean "${meant}"?`);
  });

  it("suggests nothing when no kind is near", () => {
    expect(() => untyped(factory as never).create("hexagon")).not.toThrow("Did you mean");
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])(
    "treats %s, a key every object inherits, as unknown",
    (kind) => {
      expect(() => untyped(factory as never).create(kind)).toThrow(UnknownKindError);
    },
  );

  it("says so when no kind is registered at all", () => {
    const empty = createFactory<Makers>("thing");

    expect(() => empty.create("dot")).toThrow('Unknown thing kind "dot": no kinds are registered.');
  });

  it("lists all 20 kinds, and counts none, when exactly 20 are registered", () => {
    const twenty = createFactory<Record<string, () => Dot>>("thing");
    for (let i = 1; i <= 20; i++) twenty.register(`k${i}`, () => new Dot());

    const error = thrownBy(() => twenty.create("k0"));

    expect(error.message).toMatch(/k19, k20\.$/);
  });

  it("lists at most 20 kinds in the message and counts the rest", () => {
    const many = createFactory<Record<string, () => Dot>>("thing");
    for (let i = 1; i <= 25; i++) many.register(`k${i}`, () => new Dot());

    const error = thrownBy(() => many.create("k0")) as UnknownKindError;

    expect(error.message).toContain("k19, k20 and 5 more.");
    expect(error.message).not.toContain("k21");
    expect(error.knownKinds).toHaveLength(25);
  });
});

describe("register()", () => {
  it("adds a kind that create() then makes", () => {
    const factory = createFactory<Makers>("thing");

    factory.register("dot", makeDot);

    expect(factory.create("dot", { size: 2 })).toEqual(new Dot(2));
    expect(factory.kinds()).toEqual(["dot"]);
  });

  it("takes '__proto__' and 'constructor' as kinds like any other", () => {
    const factory = createFactory<Record<string, () => Dot>>("thing");

    factory.register("__proto__", () => new Dot(1));
    factory.register("constructor", () => new Dot(2));

    expect(factory.create("__proto__")).toEqual(new Dot(1));
    expect(factory.create("constructor")).toEqual(new Dot(2));
    expect(factory.kinds()).toEqual(["__proto__", "constructor"]);
  });

  it("rejects a kind that is taken with a DuplicateKindError, and keeps the first maker", () => {
    const factory = createFactory("shape", { circle: makeDot });

    const error = thrownBy(() => factory.register("circle", () => new Dot(9)));

    expect(error).toBeInstanceOf(DuplicateKindError);
    expect(error.name).toBe("DuplicateKindError");
    expect(error.message).toBe(
      'Shape kind "circle" is already registered; unregister it first to replace it.',
    );
    expect((error as DuplicateKindError).kind).toBe("circle");
    expect(factory.create("circle")).toEqual(new Dot(1));
  });

  it.each(["", " ", " dot", "dot\n", 42, null])(
    "rejects the kind %j with a TypeError naming `kind`",
    (kind) => {
      const factory = createFactory<Makers>("thing");

      const error = thrownBy(() => untyped(factory).register(kind, makeDot));

      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("`kind` must be a non-empty string");
      expect(factory.kinds()).toEqual([]);
    },
  );

  it.each([undefined, "makeDot", new Dot()])(
    "rejects the maker %j with a TypeError naming `make`",
    (make) => {
      const factory = createFactory<Makers>("thing");

      const error = thrownBy(() => untyped(factory).register("dot", make));

      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("`make` must be a function");
      expect(factory.kinds()).toEqual([]);
    },
  );
});

describe("the function register() returns", () => {
  it("unregisters the kind", () => {
    const factory = createFactory<Makers>("thing");
    const unregister = factory.register("dot", makeDot);

    unregister();

    expect(factory.has("dot")).toBe(false);
    expect(() => factory.create("dot")).toThrow(UnknownKindError);
  });

  it("does nothing when called again", () => {
    const factory = createFactory<Makers>("thing", { box: makeBox });
    const unregister = factory.register("dot", makeDot);

    unregister();
    unregister();

    expect(factory.kinds()).toEqual(["box"]);
  });

  it("never removes a later registration of the same kind, even with the same maker", () => {
    const factory = createFactory<Makers>("thing");
    const stale = factory.register("dot", makeDot);
    stale();
    factory.register("dot", makeDot);

    stale();

    expect(factory.has("dot")).toBe(true);
  });

  it("frees the kind to be registered again, with another maker", () => {
    const factory = createFactory<Makers>("thing");
    factory.register("dot", makeDot)();

    factory.register("dot", () => new Dot(7));

    expect(factory.create("dot")).toEqual(new Dot(7));
  });

  it("is Disposable: `using` unregisters at the end of the block", () => {
    const factory = createFactory<Makers>("thing");
    {
      using _dot = factory.register("dot", makeDot);
      expect(factory.has("dot")).toBe(true);
    }
    expect(factory.has("dot")).toBe(false);
  });
});

describe("has() and kinds()", () => {
  it("has() is true only for a registered kind, and never for inherited keys or non-strings", () => {
    const factory = createFactory("thing", { dot: makeDot });

    expect(factory.has("dot")).toBe(true);
    expect(factory.has("box")).toBe(false);
    expect(factory.has("constructor")).toBe(false);
    expect(factory.has(42)).toBe(false);
  });

  it("kinds() returns a copy: changing it registers nothing", () => {
    const factory = createFactory("thing", { dot: makeDot });

    factory.kinds().push("box" as never);

    expect(factory.kinds()).toEqual(["dot"]);
  });
});
