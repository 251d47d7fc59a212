// Mistake: the options are typed as the union of every kind's options, not as the options of
// the kind asked for. `create("circle", { width: 3, height: 4 })` compiles, and makes a circle
// whose radius is undefined.
// Caught by "are those of the kind asked for, not another kind's" (an unused @ts-expect-error).
import { create as correct, type ShapeKind, type ShapeTypes } from "../shapes";

export * from "../shapes";

export function create<K extends ShapeKind>(
  kind: K,
  options: ShapeTypes[ShapeKind]["options"],
): ShapeTypes[K]["shape"] {
  return correct(kind, options as ShapeTypes[K]["options"]);
}
