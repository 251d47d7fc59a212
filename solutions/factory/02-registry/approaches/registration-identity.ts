// Approach: Unregister by the registration's identity, not a flag
//
// - Gains: the Map holds one small object per registration, and the returned function removes
//   the kind only while that very object is still registered: no flag to keep in step with the
//   Map, and "twice does nothing" and "never a later registration" follow from one comparison.
// - Costs: an object per registration, and `create()` reads `.make` through it. Comparing the
//   maker itself instead of a wrapper would be wrong: the same maker may be registered again.

// The given code is the answer key's; what follows is this approach's own.
import type { Shape, ShapeMaker } from "../shape-factory";
import {
  Circle,
  DuplicateShapeError,
  Rectangle,
  Triangle,
  UnknownShapeError,
} from "../shape-factory";

export type { Shape, ShapeMaker };
export { Circle, DuplicateShapeError, Rectangle, Triangle, UnknownShapeError };

/**
 * A factory open to new kinds: `register()` adds one without editing this class. A new factory
 * knows circle, rectangle and triangle; each factory keeps its own registrations.
 */
export class ShapeFactory {
  // Each registration is an object of its own: its identity, not a flag, says whether it is
  // still the one in the Map.
  readonly #registrations = new Map<string, { readonly make: ShapeMaker }>();

  constructor() {
    // The built-in shapes are registrations like any other: the class itself names no kind.
    this.register("circle", () => new Circle());
    this.register("rectangle", () => new Rectangle());
    this.register("triangle", () => new Triangle());
  }

  /**
   * Registers `make` under `kind` (a non-empty string without surrounding spaces) and returns a
   * function that unregisters it. Throws `DuplicateShapeError` if `kind` is taken.
   */
  register(kind: string, make: ShapeMaker): () => void {
    if (typeof kind !== "string" || kind === "" || kind.trim() !== kind) {
      throw new TypeError(
        `\`kind\` must be a non-empty string without surrounding spaces, got ${JSON.stringify(kind)}`,
      );
    }
    if (typeof make !== "function") {
      throw new TypeError(`\`make\` must be a function that returns a shape, got ${typeof make}`);
    }
    if (this.#registrations.has(kind)) throw new DuplicateShapeError(kind);
    const registration = { make };
    this.#registrations.set(kind, registration);

    // Removes this registration only: a later one of the same kind (even with the same maker)
    // is another object. Called twice, the second call finds nothing of its own to remove.
    return () => {
      if (this.#registrations.get(kind) === registration) this.#registrations.delete(kind);
    };
  }

  /** A new shape from the maker registered under `kind`, or an `UnknownShapeError`. */
  create(kind: string): Shape {
    const registration = this.#registrations.get(kind);
    if (!registration) throw new UnknownShapeError(kind, this.kinds());
    return registration.make();
  }

  /** The registered kinds, in the order they were registered. */
  kinds(): string[] {
    return [...this.#registrations.keys()];
  }
}
