// Mistake: the source's corrected ShapeFactory, translated: `raise ValueError(...)` becomes a
// plain Error. A caller cannot tell "unknown shape" from any other failure without parsing the
// message, and the message does not say what would have worked.
// Caught by "throws an UnknownShapeError rather than returning undefined" and "lists every
// known kind in the message".
import { Circle, Rectangle, type Shape, Triangle } from "../shapes";

export * from "../shapes";

export function createShape(kind: string): Shape {
  switch (kind) {
    case "circle":
      return new Circle();
    case "rectangle":
      return new Rectangle();
    case "triangle":
      return new Triangle();
    default:
      throw new Error(`Unknown shape "${kind}"`);
  }
}
