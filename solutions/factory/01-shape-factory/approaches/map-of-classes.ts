// Approach: A Map from kind to class
//
// - Gains: the kinds are data, written once: `shapeKinds` is the Map's keys, so the error's list
//   can never drift from what `createShape()` makes, and adding a shape is one line. A Map's
//   `get()` knows nothing of inherited names such as "constructor".
// - Costs: every shape must be built the same way (`new C()` with no arguments); a switch lets
//   each case differ, and reads top to bottom without a level of indirection.

// The given code is the answer key's; what follows is this approach's own.
import type { Shape } from "../shapes";
import { Circle, Rectangle, Triangle, UnknownShapeError } from "../shapes";

export type { Shape };
export { Circle, Rectangle, Triangle, UnknownShapeError };

const classes = new Map<string, new () => Shape>([
  ["circle", Circle],
  ["rectangle", Rectangle],
  ["triangle", Triangle],
]);

/** The kinds `createShape()` knows, in the order its error message lists them. */
export const shapeKinds: readonly string[] = [...classes.keys()];

/**
 * Makes a new shape of the given kind. `kind` is a plain string because it comes from outside
 * (a drawing file, a form, a command line); a kind it does not know throws `UnknownShapeError`.
 */
export function createShape(kind: string): Shape {
  const ShapeClass = classes.get(kind);
  if (ShapeClass === undefined) throw new UnknownShapeError(kind, shapeKinds);
  return new ShapeClass();
}
