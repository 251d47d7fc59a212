// Mistake: a lookup table in a plain object literal. It reads well, but an object inherits keys:
// "constructor" finds Object, "toString" finds Object.prototype.toString, "__proto__" finds
// Object.prototype. `createShape("constructor")` returns `{}` instead of throwing.
// Caught by "treats constructor, a key every object inherits, as unknown" (and its siblings).
// The fix: a switch, a Map, `Object.hasOwn()`, or an object made with `Object.create(null)`.
import { Circle, Rectangle, type Shape, shapeKinds, Triangle, UnknownShapeError } from "../shapes";

export * from "../shapes";

const makers: Record<string, () => Shape> = {
  circle: () => new Circle(),
  rectangle: () => new Rectangle(),
  triangle: () => new Triangle(),
};

export function createShape(kind: string): Shape {
  const make = makers[kind];
  if (!make) throw new UnknownShapeError(kind, shapeKinds);
  return make();
}
