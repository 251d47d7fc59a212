// Mistake: register() never checks whether the kind is taken, so a second registration silently
// replaces the first: a plugin that also names its shape "circle" changes every circle in the app.
// Caught by the tests of "a duplicate registration".
import {
  Circle,
  Rectangle,
  type Shape,
  type ShapeMaker,
  Triangle,
  UnknownShapeError,
} from "../shape-factory";

export * from "../shape-factory";

export class ShapeFactory {
  readonly #makers = new Map<string, ShapeMaker>();

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
    this.#makers.set(kind, make);

    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      this.#makers.delete(kind);
    };
  }

  create(kind: string): Shape {
    const make = this.#makers.get(kind);
    if (!make) throw new UnknownShapeError(kind, this.kinds());
    return make();
  }

  kinds(): string[] {
    return [...this.#makers.keys()];
  }
}
