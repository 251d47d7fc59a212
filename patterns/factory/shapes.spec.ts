import { describe, expect, it } from "vitest";
import { thrownBy } from "../../kata/spec-helpers";
import { DuplicateKindError, UnknownKindError } from "./errors";
import {
  Circle,
  createShapeFactory,
  MAX_ROWS,
  Rectangle,
  type ShapeMakers,
  shapeMakers,
  Triangle,
} from "./shapes";

describe("the shapes", () => {
  it("know their kind, area and description", () => {
    const circle = new Circle({ radius: 2 });
    const rectangle = new Rectangle({ width: 3, height: 4 });
    const triangle = new Triangle({ base: 6, height: 3 });

    expect([circle.kind, rectangle.kind, triangle.kind]).toEqual([
      "circle",
      "rectangle",
      "triangle",
    ]);
    expect(circle.area()).toBeCloseTo(4 * Math.PI);
    expect(rectangle.area()).toBe(12);
    expect(triangle.area()).toBe(9);
    expect(`${circle}; ${rectangle}; ${triangle}`).toBe(
      "circle (radius 2); rectangle (3 x 4); triangle (base 6, height 3)",
    );
  });

  it("draw themselves in ASCII, two columns per unit across", () => {
    expect(new Circle({ radius: 1 }).draw()).toBe([" ###", "#####", " ###"].join("\n"));
    expect(new Rectangle({ width: 3, height: 2 }).draw()).toBe(["######", "######"].join("\n"));
    expect(new Triangle({ base: 4, height: 2 }).draw()).toBe(["  ####", "########"].join("\n"));
  });

  it("draw a larger circle round: 2r + 1 rows, the widest 4r + 1 columns", () => {
    expect(new Circle({ radius: 5 }).draw()).toBe(
      [
        "      #########",
        "   ###############",
        "  #################",
        "#####################",
        "#####################",
        "#####################",
        "#####################",
        "#####################",
        "  #################",
        "   ###############",
        "      #########",
      ].join("\n"),
    );
  });

  it.each([
    new Circle({ radius: 1e6 }),
    new Rectangle({ width: 1e6, height: 1e9 }),
    new Triangle({ base: 5, height: 1e6 }),
  ])("scale a huge %s down to at most MAX_ROWS rows", (shape) => {
    const rows = shape.draw().split("\n");

    expect(rows.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(Math.max(...rows.map((row) => row.length))).toBeLessThanOrEqual(2 * MAX_ROWS + 1);
  });

  it("draw a tiny shape as at least one cell", () => {
    expect(new Rectangle({ width: 0.01, height: 0.01 }).draw()).toBe("#");
  });

  it("reject a negative dimension with a RangeError naming the option", () => {
    const error = thrownBy(() => new Circle({ radius: -1 }));

    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("`options.radius` must be a positive finite number, got -1");
  });

  it.each([0, Number.NaN, Number.POSITIVE_INFINITY, -0])(
    "reject a dimension of %s with a RangeError",
    (height) => {
      const error = thrownBy(() => new Rectangle({ width: 1, height }));

      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toContain("`options.height`");
    },
  );

  it("reject a dimension that is not a number with a TypeError naming the option", () => {
    const error = thrownBy(() => new Triangle({ base: "6", height: 3 } as never));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('`options.base` must be a positive finite number, got "6"');
  });

  it.each([
    ["a circle", () => new Circle({ radius: 1e200 }), "`options.radius`", "1e+200"],
    [
      "a rectangle's width",
      () => new Rectangle({ width: 1e308, height: 1 }),
      "`options.width`",
      "1e+308",
    ],
    [
      "a rectangle's area",
      () => new Rectangle({ width: 1e200, height: 1e150 }),
      "`options.width`",
      "1e+200",
    ],
    [
      "a triangle's height",
      () => new Triangle({ base: 1e10, height: 1e300 }),
      "`options.height`",
      "1e+300",
    ],
    [
      "a triangle's base",
      () => new Triangle({ base: 1e308, height: 1 }),
      "`options.base`",
      "1e+308",
    ],
  ])("refuses %s whose derived sizes overflow to Infinity", (_what, make, name, shown) => {
    const error = thrownBy(make);

    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe(
      `${name} must be small enough that the area and the drawing's size stay finite, got ${shown}`,
    );
  });

  it("refuses width 1e308 through the factory too, instead of failing in draw()", () => {
    const shapes = createShapeFactory();
    expect(() => shapes.create("rectangle", { width: 1e308, height: 2 })).toThrow(RangeError);
  });

  it("draws the largest shapes it accepts", () => {
    expect(new Rectangle({ width: 1e153, height: 1e153 }).draw().split("\n")).toHaveLength(
      MAX_ROWS,
    );
    expect(new Circle({ radius: 1e150 }).draw().split("\n")).toHaveLength(MAX_ROWS - 1);
  });

  it.each([
    [undefined, "undefined"],
    [null, "null"],
    [5, "5"],
  ])("reject the options %j with a TypeError naming `options` and what it got", (options, got) => {
    const error = thrownBy(() => new Circle(options as never));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(`\`options\` must be an object, got ${got}`);
  });
});

describe("createShapeFactory()", () => {
  it("makes the source's three shapes, each of its own class", () => {
    const shapes = createShapeFactory();

    expect(shapes.create("circle", { radius: 2 })).toBeInstanceOf(Circle);
    expect(shapes.create("rectangle", { width: 3, height: 4 })).toBeInstanceOf(Rectangle);
    expect(shapes.create("triangle", { base: 6, height: 3 })).toBeInstanceOf(Triangle);
  });

  it("hands out frozen shapes, a new one on every call", () => {
    const shapes = createShapeFactory();

    const circle = shapes.create("circle", { radius: 2 });

    expect(Object.isFrozen(circle)).toBe(true);
    expect(circle).not.toBe(shapes.create("circle", { radius: 2 }));
  });

  it("checks options made from JSON at run time", () => {
    const shapes = createShapeFactory();
    const options = JSON.parse('{ "radius": -2 }') as { radius: number };

    expect(() => shapes.create("circle", options)).toThrow(RangeError);
  });

  it("throws an UnknownKindError listing the shapes for an unknown kind", () => {
    const shapes = createShapeFactory();

    expect(() => shapes.create("hexagon" as "circle", { radius: 1 })).toThrow(
      new UnknownKindError("shape", "hexagon", ["circle", "rectangle", "triangle"]),
    );
  });

  it("gives every call its own registry: a kind added to one is not in another", () => {
    interface WithSquare extends ShapeMakers {
      square: (options: { side: number }) => Rectangle;
    }
    const mine = createShapeFactory<WithSquare>();
    const other = createShapeFactory<WithSquare>();

    mine.register("square", ({ side }) => new Rectangle({ width: side, height: side }));

    expect(mine.create("square", { side: 2 }).area()).toBe(4);
    expect(other.has("square")).toBe(false);
    expect(() => mine.register("circle", shapeMakers.circle)).toThrow(DuplicateKindError);
  });

  it("offers frozen built-in makers", () => {
    expect(Object.isFrozen(shapeMakers)).toBe(true);
  });
});
