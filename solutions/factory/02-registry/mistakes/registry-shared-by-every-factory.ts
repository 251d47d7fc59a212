// Mistake: the makers live in a static field, so every ShapeFactory shares one registry: a kind
// registered on one factory appears on all of them (and, in tests, leaks from one test into the
// next; the second `new ShapeFactory()` even fails, registering "circle" twice).
// Caught by "keeps the registrations of separate factories apart" and most tests after the first.
import {
  Circle,
  DuplicateShapeError,
  Rectangle,
  type Shape,
  type ShapeMaker,
  Triangle,
  UnknownShapeError,
} from "../shape-factory";

export * from "../shape-factory";

export class ShapeFactory {
  static readonly #makers = new Map<string, ShapeMaker>();

  constructor() {
    this.register("circle", () => new Circle());
    this.register("rectangle", () => new Rectangle());
    this.register("triangle", () => new Triangle());
  }

  register(kind: string, make: ShapeMaker): () => void {
    if (typeof kind !== "string" || kind === "" || kind.trim() !== kind) {
      throw new TypeError(
        `\`kind\` must be a non-empty string without surrounding spaces, got ${JSON.stringify(kind)}`,
      );
    }
    if (typeof make !== "function") {
      throw new TypeError(`\`make\` must be a function that returns a shape, got ${typeof make}`);
    }
    if (ShapeFactory.#makers.has(kind)) throw new DuplicateShapeError(kind);
    ShapeFactory.#makers.set(kind, make);

    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      ShapeFactory.#makers.delete(kind);
    };
  }

  create(kind: string): Shape {
    const make = ShapeFactory.#makers.get(kind);
    if (!make) throw new UnknownShapeError(kind, this.kinds());
    return make();
  }

  kinds(): string[] {
    return [...ShapeFactory.#makers.keys()];
  }
}
