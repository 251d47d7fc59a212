// Approach: One overload per kind instead of a generic over a type table
//
// - Gains: each signature reads on its own (`create(kind: "circle", options: CircleOptions):
//   Circle`), editors list them one by one, and the error for a wrong call names the overloads.
//   No mapped type, no indexed access types: the easiest typed factory to read.
// - Costs: adding a kind means a new overload, a new case and a new union member, in step by
//   hand; and a caller holding `kind: ShapeKind` (a union) cannot call `create(kind, options)`,
//   which the answer key's generic accepts. The table scales; overloads suit a few fixed kinds.

// The given code is the answer key's; what follows is this approach's own.
import type { CircleOptions, RectangleOptions, Shape, TriangleOptions } from "../shapes";
import { Circle, Rectangle, shapeKinds, Triangle, UnknownShapeError } from "../shapes";

export type { CircleOptions, RectangleOptions, Shape, TriangleOptions };
export { Circle, Rectangle, shapeKinds, Triangle, UnknownShapeError };

/** The kinds `create()` accepts. */
export type ShapeKind = (typeof shapeKinds)[number];

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

/**
 * A new shape of `kind`, made from its options. Typed: `create("circle", { radius: 2 })` is a
 * `Circle`, and an unknown kind or the wrong options do not compile. Checked at run time too:
 * bad options throw an error that names the option.
 */
export function create(kind: "circle", options: CircleOptions): Circle;
export function create(kind: "rectangle", options: RectangleOptions): Rectangle;
export function create(kind: "triangle", options: TriangleOptions): Triangle;
export function create(kind: ShapeKind, options: object): Shape {
  // The implementation signature is not callable from outside: only the three above are.
  if (!shapeKinds.some((known) => known === kind)) throw new UnknownShapeError(kind, shapeKinds);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `\`options\` must be an object, got ${options === null ? "null" : typeof options}`,
    );
  }
  switch (kind) {
    case "circle":
      return new Circle({ radius: dimension(options as CircleOptions, "radius") });
    case "rectangle": {
      const o = options as RectangleOptions;
      return new Rectangle({ width: dimension(o, "width"), height: dimension(o, "height") });
    }
    case "triangle": {
      const o = options as TriangleOptions;
      return new Triangle({ base: dimension(o, "base"), height: dimension(o, "height") });
    }
  }
}
