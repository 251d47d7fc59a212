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

/** Each kind's options and shape: the one table that create()'s types are read from. */
export interface ShapeTypes {
  circle: { options: CircleOptions; shape: Circle };
  rectangle: { options: RectangleOptions; shape: Rectangle };
  triangle: { options: TriangleOptions; shape: Triangle };
}

/** The kinds `create()` accepts. */
export type ShapeKind = keyof ShapeTypes;

/** Reads `options[name]` and checks it is a positive finite number: types vanish at run time. */
function dimension<O extends object>(options: O, name: keyof O & string): number {
  const value: unknown = options[name];
  if (typeof value !== "number") {
    throw new TypeError(`\`options.${name}\` must be a number, got ${typeof value}`);
  }
  // `value > 0` is false for NaN, so one comparison rejects NaN, zero and negatives alike.
  if (!(value > 0 && Number.isFinite(value))) {
    throw new RangeError(`\`options.${name}\` must be a positive finite number, got ${value}`);
  }
  return value;
}

/** Makes the shape of kind `K` from its options. */
type Maker<K extends ShapeKind> = (options: ShapeTypes[K]["options"]) => ShapeTypes[K]["shape"];

// A mapped type over the kinds, so that `makers[kind]` for a generic `kind: K` is a `Maker<K>`,
// and calling it with `ShapeTypes[K]["options"]` type-checks without a cast.
const makers: { [K in ShapeKind]: Maker<K> } = {
  circle: (o) => new Circle({ radius: dimension(o, "radius") }),
  rectangle: (o) => new Rectangle({ width: dimension(o, "width"), height: dimension(o, "height") }),
  triangle: (o) => new Triangle({ base: dimension(o, "base"), height: dimension(o, "height") }),
};

/**
 * A new shape of `kind`, made from its options. Typed: `create("circle", { radius: 2 })` is a
 * `Circle`, and an unknown kind or the wrong options do not compile. Checked at run time too:
 * bad options throw an error that names the option.
 */
export function create<K extends ShapeKind>(
  kind: K,
  options: ShapeTypes[K]["options"],
): ShapeTypes[K]["shape"] {
  // `Object.hasOwn`, not `kind in makers`: "constructor" must not find Object's constructor.
  if (!Object.hasOwn(makers, kind)) throw new UnknownShapeError(kind, shapeKinds);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`\`options\` must be an object, got ${String(options)}`);
  }
  return makers[kind](options);
}
