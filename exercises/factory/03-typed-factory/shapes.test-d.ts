import { describe, expectTypeOf, it } from "vitest";
import { type Circle, create, type Rectangle, type ShapeKind, type Triangle } from "./shapes";

describe("create()'s result type", () => {
  it("is Circle for a circle", () => {
    expectTypeOf(create("circle", { radius: 2 })).toEqualTypeOf<Circle>();
  });

  it("is Rectangle for a rectangle", () => {
    expectTypeOf(create("rectangle", { width: 3, height: 4 })).toEqualTypeOf<Rectangle>();
  });

  it("is Triangle for a triangle", () => {
    expectTypeOf(create("triangle", { base: 3, height: 4 })).toEqualTypeOf<Triangle>();
  });

  it("offers what only that shape has, such as a circle's radius", () => {
    const circle = create("circle", { radius: 2 });

    expectTypeOf(circle.radius).toEqualTypeOf<number>();
  });
});

describe("create()'s kinds", () => {
  it("are exactly circle, rectangle and triangle", () => {
    expectTypeOf<ShapeKind>().toEqualTypeOf<"circle" | "rectangle" | "triangle">();
  });

  it("reject an unknown kind at compile time", () => {
    // @ts-expect-error "hexagon" is not a ShapeKind
    create("hexagon", { side: 2 });
  });

  it("are case-sensitive", () => {
    // @ts-expect-error "Circle" is not "circle"
    create("Circle", { radius: 2 });
  });

  it("reject a plain string, which could hold any kind", () => {
    const kind = "circle" as string;

    // @ts-expect-error a string is not a ShapeKind: narrow it first
    create(kind, { radius: 2 });
  });
});

describe("create()'s options", () => {
  it("are required", () => {
    // @ts-expect-error a circle needs its radius
    create("circle");
  });

  it("are those of the kind asked for, not another kind's", () => {
    // @ts-expect-error a rectangle's options do not make a circle
    create("circle", { width: 3, height: 4 });
  });

  it("reject a missing property", () => {
    // @ts-expect-error a rectangle needs a height too
    create("rectangle", { width: 3 });
  });

  it("reject a misspelled or extra property", () => {
    // @ts-expect-error circles have no colour
    create("circle", { radius: 2, colour: "red" });
  });

  it("reject a value of the wrong type", () => {
    // @ts-expect-error the radius is a number, not a string
    create("circle", { radius: "2" });
  });
});
