// Mistake: the rectangle's maker checks its height but passes its width through unchecked ("the
// width was checked when I wrote the circle"). A rectangle of width -3, NaN or "3" gets made, and
// its area is nonsense.
// Caught by "name the one dimension that is not a positive finite number, with a RangeError" and
// "name the one dimension that is not a number at all, with a TypeError".
// Hint: every dimension of every kind goes through the same check; the types cannot do it.
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
  const value: unknown = options[name];
  if (typeof value !== "number") {
    throw new TypeError(`\`options.${name}\` must be a number, got ${typeof value}`);
  }
  if (!(value > 0 && Number.isFinite(value))) {
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
    rectangle: (o) => new Rectangle({ width: o.width, height: dimension(o, "height") }),
    triangle: (o) => new Triangle({ base: dimension(o, "base"), height: dimension(o, "height") }),
  };
  if (!Object.hasOwn(makers, kind)) throw new UnknownShapeError(kind, shapeKinds);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`\`options\` must be an object, got ${typeof options}`);
  }
  return makers[kind](options);
}
