// Mistake: the unknown-kind error lists the three built-in kinds, written out by hand, instead of
// the kinds registered now: it hides "hexagon", the very kind a user may have meant.
// Caught by "throws an UnknownShapeError listing the kinds registered now, new ones included".
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
    if (this.#makers.has(kind)) throw new DuplicateShapeError(kind);
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
    if (!make) throw new UnknownShapeError(kind, ["circle", "rectangle", "triangle"]);
    return make();
  }

  kinds(): string[] {
    return [...this.#makers.keys()];
  }
}
