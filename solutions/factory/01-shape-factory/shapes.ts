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

/** The kinds `createShape()` knows, in the order its error message lists them. */
export const shapeKinds: readonly string[] = ["circle", "rectangle", "triangle"];

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
  // A switch compares the exact string: no "toString" or "constructor" inherited from an object,
  // and a new shape per call. The default branch is the one the source's Python forgot.
  switch (kind) {
    case "circle":
      return new Circle();
    case "rectangle":
      return new Rectangle();
    case "triangle":
      return new Triangle();
    default:
      throw new UnknownShapeError(kind, shapeKinds);
  }
}
