// Mistake: one typed overload per kind, plus a catch-all "for JSON input" that takes any string.
// The catch-all swallows every call the typed overloads reject: "hexagon", "Circle" and a plain
// string all compile, and the check moves back to run time.
// Caught by "reject an unknown kind at compile time", "are case-sensitive" and "reject a plain
// string, which could hold any kind".
// Hint: the compiler picks the first overload that fits, and one that takes any string fits every
//   call: the check moves back to run time.
import {
  type Circle,
  type CircleOptions,
  create as correct,
  type Rectangle,
  type RectangleOptions,
  type Shape,
  type ShapeKind,
  type Triangle,
  type TriangleOptions,
} from "../shapes";

export * from "../shapes";

export function create(kind: "circle", options: CircleOptions): Circle;
export function create(kind: "rectangle", options: RectangleOptions): Rectangle;
export function create(kind: "triangle", options: TriangleOptions): Triangle;
export function create(kind: string, options: object): Shape;
export function create(kind: string, options: object): Shape {
  return correct(kind as ShapeKind, options as never);
}
