// Mistake: the registry is a plain object. Every object inherits keys, so `kind in makers` is
// already true for "constructor" and "toString" (a false DuplicateShapeError), and assigning
// `makers["__proto__"]` replaces the object's prototype instead of adding a kind.
// Caught by "treats __proto__ as a kind like any other" and its siblings.
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
  readonly #makers: Record<string, ShapeMaker> = {};

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
    if (kind in this.#makers) throw new DuplicateShapeError(kind);
    this.#makers[kind] = make;

    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      delete this.#makers[kind];
    };
  }

  create(kind: string): Shape {
    const make = this.#makers[kind];
    if (!make) throw new UnknownShapeError(kind, this.kinds());
    return make();
  }

  kinds(): string[] {
    return Object.keys(this.#makers);
  }
}
