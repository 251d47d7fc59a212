/** Something a canvas can draw. */
export interface Shape {
  readonly kind: string;
  area(): number;
  draw(): string;
}

export interface CircleOptions {
  readonly radius: number;
}

export class Circle implements Shape {
  readonly kind = "circle";
  readonly radius: number;
  constructor(options: CircleOptions) {
    this.radius = options.radius;
  }
  area(): number {
    return Math.PI * this.radius ** 2;
  }
  draw(): string {
    return `circle (radius ${this.radius})`;
  }
}

export interface RectangleOptions {
  readonly width: number;
  readonly height: number;
}

export class Rectangle implements Shape {
  readonly kind = "rectangle";
  readonly width: number;
  readonly height: number;
  constructor(options: RectangleOptions) {
    this.width = options.width;
    this.height = options.height;
  }
  area(): number {
    return this.width * this.height;
  }
  draw(): string {
    return `rectangle (${this.width} x ${this.height})`;
  }
}

export interface TriangleOptions {
  readonly base: number;
  readonly height: number;
}

export class Triangle implements Shape {
  readonly kind = "triangle";
  readonly base: number;
  readonly height: number;
  constructor(options: TriangleOptions) {
    this.base = options.base;
    this.height = options.height;
  }
  area(): number {
    return (this.base * this.height) / 2;
  }
  draw(): string {
    return `triangle (base ${this.base}, height ${this.height})`;
  }
}

/** The kinds `create()` knows, in the order its error message lists them. */
export const shapeKinds = ["circle", "rectangle", "triangle"] as const;

/** Thrown by `create()` for a kind it does not know, which only untyped input can reach. */
export class UnknownShapeError extends Error {
  override readonly name = "UnknownShapeError";

  constructor(
    readonly kind: string,
    readonly knownKinds: readonly string[],
  ) {
    super(`Unknown shape ${JSON.stringify(kind)}. Known shapes: ${knownKinds.join(", ")}.`);
  }
}

// TODO: declare a map from each kind to its options and its shape, and make ShapeKind its keys.
/** The kinds `create()` accepts: loose for now, `"circle" | "rectangle" | "triangle"` when done. */
export type ShapeKind = string;

/**
 * A new shape of `kind`, made from its options. Typed: `create("circle", { radius: 2 })` is a
 * `Circle`, and an unknown kind or the wrong options do not compile. Checked at run time too:
 * bad options throw an error that names the option.
 */
// biome-ignore lint/suspicious/noExplicitAny: loose on purpose until you type it; the type-level spec fails on `any`.
export function create(kind: string, options?: unknown): any {
  // TODO: make create() generic over the kind, then check the options and make the shape.
  throw new Error(`TODO(factory/03): implement create(${JSON.stringify(kind)}, ${typeof options})`);
}
