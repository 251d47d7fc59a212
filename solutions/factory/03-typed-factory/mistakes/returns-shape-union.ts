// Mistake: create() is generic over the kind but promises only `Shape`, the common interface. It
// runs correctly, yet every caller must cast to reach a circle's radius, and a cast can be wrong.
// Caught by the type-level tests of "create()'s result type" (`radius` does not exist on `Shape`).
import { create as correct, type Shape, type ShapeKind, type ShapeTypes } from "../shapes";

export * from "../shapes";

export function create<K extends ShapeKind>(kind: K, options: ShapeTypes[K]["options"]): Shape {
  return correct(kind, options);
}
