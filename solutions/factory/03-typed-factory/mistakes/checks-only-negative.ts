// Mistake: the dimension check is `value < 0`. It stops -1, but NaN < 0 is false and 0 < 0 is
// false, so a circle of radius NaN or 0 gets made, and a string "2" slips through as well.
// Caught by "rejects a radius of 0 / NaN / Infinity with a RangeError" and "rejects a radius
// that is not a number with a TypeError naming `options.radius`".
import {
  Circle,
  Rectangle,
  type ShapeKind,
  type ShapeTypes,
  shapeKinds,
  Triangle,
  UnknownShapeError,
} from "../shapes";

export * from "../shapes";

function dimension<O extends object>(options: O, name: keyof O & string): number {
  const value = options[name] as number;
  if (value < 0) {
    throw new RangeError(`\`options.${name}\` must be a positive finite number, got ${value}`);
  }
  return value;
}

export function create<K extends ShapeKind>(
  kind: K,
  options: ShapeTypes[K]["options"],
): ShapeTypes[K]["shape"] {
  const makers: { [P in ShapeKind]: (o: ShapeTypes[P]["options"]) => ShapeTypes[P]["shape"] } = {
    circle: (o) => new Circle({ radius: dimension(o, "radius") }),
    rectangle: (o) =>
      new Rectangle({ width: dimension(o, "width"), height: dimension(o, "height") }),
    triangle: (o) => new Triangle({ base: dimension(o, "base"), height: dimension(o, "height") }),
  };
  if (!Object.hasOwn(makers, kind)) throw new UnknownShapeError(kind, shapeKinds);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`\`options\` must be an object, got ${typeof options}`);
  }
  return makers[kind](options);
}
