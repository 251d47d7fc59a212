// Mistake: the function register() returns deletes whatever is registered under the kind when it
// is called. Called late (after the kind was unregistered and registered again by someone else),
// it removes the newcomer's registration.
// Caught by "never removes a later registration of the same kind, even with the same maker".
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

    return () => {
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
