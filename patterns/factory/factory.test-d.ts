import { describe, expectTypeOf, it } from "vitest";
import { createFactory, type Factory, type KindOf, type Unregister } from "./factory";

class Circle {
  readonly kind = "circle";
  constructor(readonly radius: number) {}
}
class Square {
  readonly kind = "square";
  constructor(readonly side: number) {}
}
class Dot {
  readonly kind = "dot";
}

const inferred = createFactory("shape", {
  circle: (options: { radius: number }) => new Circle(options.radius),
  square: (options: { side: number }) => new Square(options.side),
  dot: () => new Dot(),
  maybe: (options?: { side: number }) => new Square(options?.side ?? 1),
});

/** A declared map: kinds can be registered later, by other modules, still typed. */
interface DeclaredMakers {
  circle: (options: { radius: number }) => Circle;
  square: (options: { side: number }) => Square;
}

describe("a factory whose map is inferred from its makers", () => {
  it("types create() with the product of each kind", () => {
    expectTypeOf(inferred.create("circle", { radius: 2 })).toEqualTypeOf<Circle>();
    expectTypeOf(inferred.create("square", { side: 2 })).toEqualTypeOf<Square>();
    expectTypeOf(inferred.create("dot")).toEqualTypeOf<Dot>();
  });

  it("knows its kinds", () => {
    expectTypeOf<KindOf<typeof inferred extends Factory<infer M> ? M : never>>().toEqualTypeOf<
      "circle" | "square" | "dot" | "maybe"
    >();
    expectTypeOf(inferred.kinds()).toEqualTypeOf<("circle" | "square" | "dot" | "maybe")[]>();
  });

  it("rejects an unknown kind", () => {
    // @ts-expect-error "hexagon" has no maker
    inferred.create("hexagon", {});
  });

  it("ties the options to the kind", () => {
    // @ts-expect-error a square's options do not make a circle
    inferred.create("circle", { side: 2 });
    // @ts-expect-error misspelled option
    inferred.create("circle", { raduis: 2 });
    // @ts-expect-error wrong type
    inferred.create("circle", { radius: "2" });
  });

  it("requires options exactly when the maker does", () => {
    // @ts-expect-error a circle needs its options
    inferred.create("circle");
    // @ts-expect-error a dot takes none
    inferred.create("dot", {});
    inferred.create("maybe");
    inferred.create("maybe", { side: 3 });
  });

  it("registers only kinds of its map, with a maker of the right type", () => {
    // @ts-expect-error "hexagon" is not in the map: declare it to register it
    inferred.register("hexagon", () => new Dot());
    // @ts-expect-error a circle maker must make a Circle
    inferred.register("circle", () => new Square(1));
    expectTypeOf(inferred.register).returns.toEqualTypeOf<Unregister>();
  });

  it("returns an unregister function that is also Disposable", () => {
    expectTypeOf<Unregister>().toExtend<() => void>();
    expectTypeOf<Unregister>().toExtend<Disposable>();
  });

  it("has a read-only name", () => {
    // @ts-expect-error the name is read-only
    inferred.name = "other";
  });
});

describe("a factory with a declared map", () => {
  it("may start with some kinds and register the others later", () => {
    const shapes = createFactory<DeclaredMakers>("shape", {
      circle: (options) => new Circle(options.radius),
    });

    shapes.register("square", (options) => new Square(options.side));

    expectTypeOf(shapes.create("square", { side: 1 })).toEqualTypeOf<Square>();
  });

  it("checks the makers it starts with against the map", () => {
    // @ts-expect-error a circle maker must make a Circle
    createFactory<DeclaredMakers>("shape", { circle: () => new Dot() });
    // @ts-expect-error "hexagon" is not in the map
    createFactory<DeclaredMakers>("shape", { hexagon: () => new Dot() });
  });

  it("grows with an interface that extends the map", () => {
    interface WithDot extends DeclaredMakers {
      dot: () => Dot;
    }
    const shapes = createFactory<WithDot>("shape");

    shapes.register("dot", () => new Dot());

    expectTypeOf(shapes.create("dot")).toEqualTypeOf<Dot>();
  });
});

describe("a factory with an open map", () => {
  it("accepts any string kind and returns the common product type", () => {
    const plugins = createFactory<Record<string, () => Circle | Square>>("plugin");

    plugins.register("anything", () => new Circle(1));

    expectTypeOf(plugins.create("whatever")).toEqualTypeOf<Circle | Square>();
  });
});

describe("has()", () => {
  it("narrows a string from outside to a kind", () => {
    const input = "square" as string;

    if (inferred.has(input)) {
      expectTypeOf(input).toEqualTypeOf<"circle" | "square" | "dot" | "maybe">();
    }
  });
});
