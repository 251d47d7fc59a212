/** Something a canvas can draw. */
export interface Shape {
  readonly kind: string;
  draw(): string;
}

export class Circle implements Shape {
  readonly kind = "circle";
  draw(): string {
    return "circle";
  }
}

export class Rectangle implements Shape {
  readonly kind = "rectangle";
  draw(): string {
    return "rectangle";
  }
}

export class Triangle implements Shape {
  readonly kind = "triangle";
  draw(): string {
    return "triangle";
  }
}

/** Makes a new shape each time it is called. */
export type ShapeMaker = () => Shape;

/** Thrown by `create()` for a kind nobody registered; lists the kinds registered now. */
export class UnknownShapeError extends Error {
  override readonly name = "UnknownShapeError";

  constructor(
    readonly kind: string,
    readonly knownKinds: readonly string[],
  ) {
    super(`Unknown shape ${JSON.stringify(kind)}. Known shapes: ${knownKinds.join(", ")}.`);
  }
}

/** Thrown by `register()` for a kind that already has a maker: the first registration stays. */
export class DuplicateShapeError extends Error {
  override readonly name = "DuplicateShapeError";

  constructor(readonly kind: string) {
    super(`Shape ${JSON.stringify(kind)} is already registered.`);
  }
}

/**
 * A factory open to new kinds: `register()` adds one without editing this class. A new factory
 * knows circle, rectangle and triangle; each factory keeps its own registrations.
 */
export class ShapeFactory {
  // TODO: keep the registered makers, register the three built-in shapes in the constructor,
  // and implement register(), create() and kinds() as their comments say.
  constructor() {
    throw new Error("TODO(factory/02): implement ShapeFactory");
  }

  /**
   * Registers `make` under `kind` (a non-empty string without surrounding spaces) and returns a
   * function that unregisters it. Throws `DuplicateShapeError` if `kind` is taken.
   */
  register(kind: string, make: ShapeMaker): () => void {
    throw new Error(
      `TODO(factory/02): implement register(${JSON.stringify(kind)}, ${typeof make})`,
    );
  }

  /** A new shape from the maker registered under `kind`, or an `UnknownShapeError`. */
  create(kind: string): Shape {
    throw new Error(`TODO(factory/02): implement create(${JSON.stringify(kind)})`);
  }

  /** The registered kinds, in the order they were registered. */
  kinds(): string[] {
    throw new Error("TODO(factory/02): implement kinds()");
  }
}
