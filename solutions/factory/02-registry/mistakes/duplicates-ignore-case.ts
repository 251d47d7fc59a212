// Mistake: register() compares kinds without their case, "to avoid confusion", so a plugin's
// "Circle" is refused as a duplicate of "circle". Kinds are case-sensitive everywhere else in
// the factory (create("Circle") is unknown): a rule that differs between register() and create()
// leaves a kind that can be neither registered nor created.
// Caught by "treats kinds as case-sensitive: 'Circle' is a new kind, not a duplicate of 'circle'".
// Hint: one definition of "the same kind" for register() and create(): the exact string.
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
  // A Map, not an object literal: every string is an ordinary key ("__proto__" included), and it
  // remembers the order of registration.
  readonly #makers = new Map<string, ShapeMaker>();

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
    const taken = [...this.#makers.keys()].some((k) => k.toLowerCase() === kind.toLowerCase());
    if (taken) throw new DuplicateShapeError(kind);
    this.#makers.set(kind, make);

    // The flag makes the function undo this registration only: called again, or after someone
    // else registered the same kind, it must not remove theirs.
    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      this.#makers.delete(kind);
    };
  }

  /** A new shape from the maker registered under `kind`, or an `UnknownShapeError`. */
  create(kind: string): Shape {
    const make = this.#makers.get(kind);
    if (!make) throw new UnknownShapeError(kind, this.kinds());
    return make();
  }

  /** The registered kinds, in the order they were registered. */
  kinds(): string[] {
    return [...this.#makers.keys()];
  }
}
