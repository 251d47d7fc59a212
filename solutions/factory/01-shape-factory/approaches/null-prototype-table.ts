// Approach: A lookup object without a prototype
//
// - Gains: the table reads like the object literal most people reach for first, and
//   `Object.create(null)` gives it no inherited keys, so "constructor" and "toString" are
//   unknown; `Object.hasOwn()` is the second guard. Frozen, nobody can add a kind at run time.
// - Costs: correct only while both guards stay: drop `Object.create(null)` or `hasOwn` and the
//   inherited-key bug is back, silently. A Map (or a switch) is safe without remembering
//   anything.

/** Something a canvas can draw. Each call of `createShape()` makes a new one. */
export interface Shape {
  readonly kind: string;
  /** Where the shape sits on the canvas: the one thing a caller changes. */
  x: number;
  y: number;
  draw(): string;
}

export class Circle implements Shape {
  readonly kind = "circle";
  x = 0;
  y = 0;
  draw(): string {
    return `circle at (${this.x}, ${this.y})`;
  }
}

export class Rectangle implements Shape {
  readonly kind = "rectangle";
  x = 0;
  y = 0;
  draw(): string {
    return `rectangle at (${this.x}, ${this.y})`;
  }
}

export class Triangle implements Shape {
  readonly kind = "triangle";
  x = 0;
  y = 0;
  draw(): string {
    return `triangle at (${this.x}, ${this.y})`;
  }
}

const makers: Readonly<Record<string, () => Shape>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, () => Shape>, {
    circle: () => new Circle(),
    rectangle: () => new Rectangle(),
    triangle: () => new Triangle(),
  }),
);

/** The kinds `createShape()` knows, in the order its error message lists them. */
export const shapeKinds: readonly string[] = Object.keys(makers);

/**
 * Thrown by `createShape()` for a kind it does not know. The message quotes the kind asked for
 * and lists the known ones: `Unknown shape "hexagon". Known shapes: circle, rectangle, triangle.`
 */
export class UnknownShapeError extends Error {
  override readonly name = "UnknownShapeError";

  constructor(
    readonly kind: string,
    readonly knownKinds: readonly string[],
  ) {
    // JSON.stringify quotes the kind, so an empty or blank one is still visible in the message.
    super(`Unknown shape ${JSON.stringify(kind)}. Known shapes: ${knownKinds.join(", ")}.`);
  }
}

/**
 * Makes a new shape of the given kind. `kind` is a plain string because it comes from outside
 * (a drawing file, a form, a command line); a kind it does not know throws `UnknownShapeError`.
 */
export function createShape(kind: string): Shape {
  const make = Object.hasOwn(makers, kind) ? makers[kind] : undefined;
  if (make === undefined) throw new UnknownShapeError(kind, shapeKinds);
  return make();
}
