// Mistake: the source's first ShapeFactory. The if/else chain has no final else, so an unknown
// kind falls off the end and the caller gets undefined, which fails far away, at `shape.draw()`.
// Caught by "throws an UnknownShapeError rather than returning undefined" and the other tests of
// "createShape() for an unknown kind".
import { Circle, Rectangle, type Shape, Triangle } from "../shapes";

export * from "../shapes";

export function createShape(kind: string): Shape {
  if (kind === "circle") {
    return new Circle();
  } else if (kind === "rectangle") {
    return new Rectangle();
  } else if (kind === "triangle") {
    return new Triangle();
  }
  return undefined as unknown as Shape;
}
