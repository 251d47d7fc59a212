import fc from "fast-check";
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

const known = ["circle", "rectangle", "triangle"];

/** Checks that `kind` is rejected with an UnknownShapeError carrying `kind` and the known kinds. */
function expectUnknown(kind: string): void {
  const error = thrownBy(() => createShape(kind));

  expect(error).toBeInstanceOf(UnknownShapeError);
  expect((error as UnknownShapeError).name).toBe("UnknownShapeError");
  expect((error as UnknownShapeError).kind).toBe(kind);
  expect((error as UnknownShapeError).knownKinds).toEqual(known);
}

/** Kinds that look like a known one but are not it: cut short, extended, padded, recased. */
const lookalikes = fc.oneof(
  fc
    .tuple(fc.constantFrom(...known), fc.nat())
    .map(([kind, cut]) => kind.slice(0, cut % kind.length)),
  fc
    .tuple(fc.constantFrom(...known), fc.string({ minLength: 1, maxLength: 3 }))
    .map(([kind, more]) => kind + more),
  fc
    .tuple(fc.constantFrom(...known), fc.string({ minLength: 1, maxLength: 3 }))
    .map(([kind, more]) => more + kind),
  fc
    .tuple(
      fc.constantFrom(...known),
      fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0"),
      fc.boolean(),
    )
    .map(([kind, space, before]) => (before ? space + kind : kind + space)),
  fc
    .tuple(fc.constantFrom(...known), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }))
    .map(([kind, upper]) => [...kind].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""))
    .filter((kind) => !known.includes(kind)),
);

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

  it.each([
    " circle",
    "circle ",
    "\tcircle",
    "circle\n",
    "CIRCLE",
    "cIrcle",
    "circ",
    "circles",
    "rect",
    "triangle.",
    "\u0441ircle",
    "circle\u200b",
    "hasOwnProperty",
    "valueOf",
  ])("treats %j, not exactly a known kind, as unknown, and carries it as it was given", (kind) => {
    expectUnknown(kind);
  });

  it("treats every look-alike of a known kind (cut short, extended, padded, recased) as unknown", () => {
    fc.assert(
      fc.property(lookalikes, (kind) => {
        expectUnknown(kind);
      }),
      { numRuns: 200 },
    );
  });

  it("treats any other string as unknown, quoting it in the message", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz -_0123456789") }),
        (kind) => {
          fc.pre(!known.includes(kind));
          expectUnknown(kind);
          expect(thrownBy(() => createShape(kind))).toEqual(
            expect.objectContaining({
              message: `Unknown shape "${kind}". Known shapes: circle, rectangle, triangle.`,
            }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("treats the empty string as unknown", () => {
    expect(() => createShape("")).toThrow('Unknown shape "". Known shapes:');
  });

  it.each(["constructor", "toString", "__proto__"])(
    "treats %s, a key every object inherits, as unknown",
    (kind) => {
      expectUnknown(kind);
    },
  );
});
