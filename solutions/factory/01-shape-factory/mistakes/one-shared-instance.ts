// Mistake: the shapes are made once, up front, and every call hands out the same object, as if a
// factory were a cache. Moving "one" circle moves every circle anyone ever created.
// Caught by "returns a new shape, never one it handed out before" and "keeps shapes
// independent: moving one leaves another where it was".
import { Circle, Rectangle, type Shape, shapeKinds, Triangle, UnknownShapeError } from "../shapes";

export * from "../shapes";

const made = new Map<string, Shape>([
  ["circle", new Circle()],
  ["rectangle", new Rectangle()],
  ["triangle", new Triangle()],
]);

export function createShape(kind: string): Shape {
  const shape = made.get(kind);
  if (!shape) throw new UnknownShapeError(kind, shapeKinds);
  return shape;
}
