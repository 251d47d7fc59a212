// Approach: A lookup object without a prototype
//
// - Gains: the table reads like the object literal most people reach for first, and
//   `Object.create(null)` gives it no inherited keys, so "constructor" and "toString" are
//   unknown; `Object.hasOwn()` is the second guard. Frozen, nobody can add a kind at run time.
// - Costs: correct only while both guards stay: drop `Object.create(null)` or `hasOwn` and the
//   inherited-key bug is back, silently. A Map (or a switch) is safe without remembering
//   anything.

// The given code is the answer key's; what follows is this approach's own.
import type { Shape } from "../shapes";
import { Circle, Rectangle, Triangle, UnknownShapeError } from "../shapes";

export type { Shape };
export { Circle, Rectangle, Triangle, UnknownShapeError };

const makers: Readonly<Record<string, () => Shape>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, () => Shape>, {
    circle: () => new Circle(),
    rectangle: () => new Rectangle(),
    triangle: () => new Triangle(),
  }),
);

/** The kinds `createShape()` knows, in the order its error message lists them. */
export const shapeKinds: readonly string[] = Object.keys(makers);

/**
 * Makes a new shape of the given kind. `kind` is a plain string because it comes from outside
 * (a drawing file, a form, a command line); a kind it does not know throws `UnknownShapeError`.
 */
export function createShape(kind: string): Shape {
  const make = Object.hasOwn(makers, kind) ? makers[kind] : undefined;
  if (make === undefined) throw new UnknownShapeError(kind, shapeKinds);
  return make();
}
