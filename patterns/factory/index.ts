/**
 * The Factory pattern: a typed registry factory, the source article's shapes, and an abstract
 * factory of UI widget families.
 *
 * @example
 * ```ts
 * import { createShapeFactory, UnknownKindError } from "./patterns/factory";
 *
 * const shapes = createShapeFactory();
 * console.log(shapes.create("circle", { radius: 2 }).draw());
 * ```
 * @module
 */
export { DuplicateKindError, UnknownKindError } from "./errors";
export {
  createFactory,
  type Factory,
  type KindOf,
  type Maker,
  type MakerMap,
  type Unregister,
} from "./factory";
export {
  Circle,
  type CircleOptions,
  createShapeFactory,
  MAX_ROWS,
  Rectangle,
  type RectangleOptions,
  type Shape,
  type ShapeMakers,
  shapeMakers,
  Triangle,
  type TriangleOptions,
} from "./shapes";
export {
  type Button,
  type Checkbox,
  darkWidgets,
  lightWidgets,
  renderLoginForm,
  themes,
  type WidgetFactory,
} from "./widgets";
