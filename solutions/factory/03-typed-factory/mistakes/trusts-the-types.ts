// Mistake: no run-time checks, because "the types already guarantee it". Types are erased when
// the code runs: options parsed from JSON or passed by plain JavaScript reach create() unchecked,
// and a circle of radius -1 (or of radius "2", or with no options at all) gets made or crashes.
// Caught by the tests of "create()'s checks at run time, where the types are gone".
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

export function create<K extends ShapeKind>(
  kind: K,
  options: ShapeTypes[K]["options"],
): ShapeTypes[K]["shape"] {
  const makers: { [P in ShapeKind]: (o: ShapeTypes[P]["options"]) => ShapeTypes[P]["shape"] } = {
    circle: (o) => new Circle(o),
    rectangle: (o) => new Rectangle(o),
    triangle: (o) => new Triangle(o),
  };
  if (!Object.hasOwn(makers, kind)) throw new UnknownShapeError(kind, shapeKinds);
  return makers[kind](options);
}
