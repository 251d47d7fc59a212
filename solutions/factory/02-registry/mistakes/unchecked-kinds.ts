// Mistake: register() takes any kind it is given. A kind read from a config file with a stray
// space (" hexagon") or an empty one registers fine and can never be created by name.
// Caught by the tests of "register()'s arguments" that pass a bad kind.
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
    if (!make) throw new UnknownShapeError(kind, this.kinds());
    return make();
  }

  kinds(): string[] {
    return [...this.#makers.keys()];
  }
}
