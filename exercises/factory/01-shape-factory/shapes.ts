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
    // TODO: build the message from `kind` and `knownKinds`, in the format shown above.
    super("TODO(factory/01): write UnknownShapeError's message");
  }
}

/**
 * Makes a new shape of the given kind. `kind` is a plain string because it comes from outside
 * (a drawing file, a form, a command line); a kind it does not know throws `UnknownShapeError`.
 */
export function createShape(kind: string): Shape {
  // TODO: return a new Circle, Rectangle or Triangle, or throw an UnknownShapeError.
  throw new Error(`TODO(factory/01): implement createShape(${JSON.stringify(kind)})`);
}
