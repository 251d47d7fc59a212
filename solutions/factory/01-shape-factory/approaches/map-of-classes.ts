// Approach: A Map from kind to class
//
// - Gains: the kinds are data, written once: `shapeKinds` is the Map's keys, so the error's list
//   can never drift from what `createShape()` makes, and adding a shape is one line. A Map's
//   `get()` knows nothing of inherited names such as "constructor".
// - Costs: every shape must be built the same way (`new C()` with no arguments); a switch lets
//   each case differ, and reads top to bottom without a level of indirection.

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

const classes = new Map<string, new () => Shape>([
  ["circle", Circle],
  ["rectangle", Rectangle],
  ["triangle", Triangle],
]);

/** The kinds `createShape()` knows, in the order its error message lists them. */
export const shapeKinds: readonly string[] = [...classes.keys()];

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
  const ShapeClass = classes.get(kind);
  if (ShapeClass === undefined) throw new UnknownShapeError(kind, shapeKinds);
  return new ShapeClass();
}
