import { describe, expectTypeOf, it } from "vitest";
import {
  type Circle,
  createShapeFactory,
  type Rectangle,
  type ShapeMakers,
  type Triangle,
} from "./shapes";

describe("createShapeFactory()", () => {
  it("types each built-in kind's product", () => {
    const shapes = createShapeFactory();

    expectTypeOf(shapes.create("circle", { radius: 2 })).toEqualTypeOf<Circle>();
    expectTypeOf(shapes.create("rectangle", { width: 3, height: 4 })).toEqualTypeOf<Rectangle>();
    expectTypeOf(shapes.create("triangle", { base: 6, height: 3 })).toEqualTypeOf<Triangle>();
  });

  it("rejects unknown kinds and another kind's options", () => {
    const shapes = createShapeFactory();

    // @ts-expect-error "hexagon" is not a built-in kind
    shapes.create("hexagon", { side: 1 });
    // @ts-expect-error a rectangle's options do not make a circle
    shapes.create("circle", { width: 3, height: 4 });
  });

  it("accepts a map that extends the built-in one, and registers its new kinds typed", () => {
    interface WithSquare extends ShapeMakers {
      square: (options: { side: number }) => Rectangle;
    }
    const shapes = createShapeFactory<WithSquare>();

    shapes.register("square", ({ side }) => {
      expectTypeOf(side).toEqualTypeOf<number>();
      return shapes.create("rectangle", { width: side, height: side });
    });

    expectTypeOf(shapes.create("square", { side: 2 })).toEqualTypeOf<Rectangle>();
  });

  it("refuses a map that drops or changes a built-in kind", () => {
    // @ts-expect-error the built-in kinds are always there
    createShapeFactory<{ square: () => Rectangle }>();
  });
});
