/**
 * The source article's shapes (circle, rectangle, triangle), made by a typed factory. Each shape
 * checks its own options, so every way of making one is safe; the factory adds the kind → class
 * lookup, the named errors and frozen products.
 *
 * @module
 */

import { badArgument } from "../describe";
import { createFactory, type Factory, type MakerMap } from "./factory";

/**
 * Something a canvas can draw.
 *
 * @example
 * ```ts
 * const shapes: Shape[] = [new Circle({ radius: 2 }), new Rectangle({ width: 4, height: 2 })];
 * for (const shape of shapes) console.log(`${shape}: ${shape.area().toFixed(1)}`);
 * ```
 */
export interface Shape {
  /** The kind the factory knows this shape by. */
  readonly kind: string;
  /** The area, in square units. */
  area(): number;
  /**
   * An ASCII drawing: one row and two columns per unit (a character cell is about twice as tall
   * as it is wide), scaled down to at most {@link MAX_ROWS} rows.
   */
  draw(): string;
  /** A one-line description: `circle (radius 2)`. */
  toString(): string;
}

/**
 * The most rows a drawing has (and it has at most twice as many columns): bigger shapes are
 * drawn scaled down, so a radius read from a file cannot print a million lines.
 *
 * @example
 * ```ts
 * new Circle({ radius: 1000 }).draw().split("\n").length <= MAX_ROWS; // true
 * ```
 */
export const MAX_ROWS = 24;

/**
 * Reads `options[name]` and checks it is a positive finite number. Types are gone at run time,
 * and options often come from JSON, so every dimension is checked where the shape is made.
 */
function dimension<O extends object>(options: O, name: keyof O & string): number {
  if (typeof options !== "object" || options === null) {
    throw badArgument("options", "an object", options);
  }
  let value: unknown;
  try {
    value = options[name];
  } catch {
    throw badArgument("options", "an object whose properties can be read", options);
  }
  // `value > 0` is false for NaN: one comparison rejects NaN, zero and negatives.
  if (typeof value !== "number" || !(value > 0 && Number.isFinite(value))) {
    const Kind = typeof value === "number" ? RangeError : TypeError;
    throw badArgument(`options.${name}`, "a positive finite number", value, Kind);
  }
  return value;
}

/**
 * Refuses dimensions whose derived sizes overflow: `width: 1e308` is finite, but its area and its
 * drawing's width (2 columns per unit) are Infinity, and `draw()` would throw a RangeError. The
 * largest dimension is named: it is the one to shrink.
 */
function checkDerived(derived: readonly number[], dimensions: Record<string, number>): void {
  if (derived.every(Number.isFinite)) return;
  const [name, value] = Object.entries(dimensions).reduce((a, b) => (b[1] > a[1] ? b : a));
  const what = "small enough that the area and the drawing's size stay finite";
  throw badArgument(`options.${name}`, what, value, RangeError);
}

/** `size` units in character cells at `scale`: at least one. */
const cells = (size: number, scale: number): number => Math.max(1, Math.round(size * scale));

/** The scale that draws `largest` units in at most {@link MAX_ROWS} cells. */
const scaleToFit = (largest: number): number => Math.min(1, MAX_ROWS / largest);

/**
 * Options of a {@link Circle}.
 *
 * @example
 * ```ts
 * const options: CircleOptions = { radius: 2 };
 * ```
 */
export interface CircleOptions {
  readonly radius: number;
}

/**
 * A circle.
 *
 * @example
 * ```ts
 * new Circle({ radius: 2 }).area(); // 12.566…
 * ```
 * @throws {TypeError | RangeError} naming `options.radius` unless it is a positive finite number
 *   small enough for a finite area.
 */
export class Circle implements Shape {
  readonly kind = "circle";
  readonly radius: number;

  constructor(options: CircleOptions) {
    this.radius = dimension(options, "radius");
    checkDerived([this.area()], { radius: this.radius });
  }

  area(): number {
    return Math.PI * this.radius ** 2;
  }

  draw(): string {
    // 2r + 1 rows: the radius in cells is at most (MAX_ROWS - 1) / 2.
    const r = Math.min(cells(this.radius, 1), Math.floor((MAX_ROWS - 1) / 2));
    const rows: string[] = [];
    for (let y = -r; y <= r; y++) {
      let row = "";
      // x / 2: two columns per unit. The 0.8 r of slack rounds off small circles' corners.
      for (let x = -2 * r; x <= 2 * r; x++)
        row += (x / 2) ** 2 + y ** 2 <= r * r + 0.8 * r ? "#" : " ";
      rows.push(row.trimEnd());
    }
    return rows.join("\n");
  }

  toString(): string {
    return `circle (radius ${this.radius})`;
  }
}

/**
 * Options of a {@link Rectangle}.
 *
 * @example
 * ```ts
 * const options: RectangleOptions = { width: 4, height: 2 };
 * ```
 */
export interface RectangleOptions {
  readonly width: number;
  readonly height: number;
}

/**
 * A rectangle.
 *
 * @example
 * ```ts
 * new Rectangle({ width: 4, height: 2 }).area(); // 8
 * ```
 * @throws {TypeError | RangeError} naming `options.width` or `options.height` unless each is a
 *   positive finite number, small enough for a finite area and drawing.
 */
export class Rectangle implements Shape {
  readonly kind = "rectangle";
  readonly width: number;
  readonly height: number;

  constructor(options: RectangleOptions) {
    this.width = dimension(options, "width");
    this.height = dimension(options, "height");
    checkDerived([this.area(), this.width * 2], { width: this.width, height: this.height });
  }

  area(): number {
    return this.width * this.height;
  }

  draw(): string {
    const scale = scaleToFit(Math.max(this.width, this.height));
    const row = "#".repeat(cells(this.width * 2, scale));
    return Array.from({ length: cells(this.height, scale) }, () => row).join("\n");
  }

  toString(): string {
    return `rectangle (${this.width} x ${this.height})`;
  }
}

/**
 * Options of a {@link Triangle}: an isosceles triangle standing on its base.
 *
 * @example
 * ```ts
 * const options: TriangleOptions = { base: 6, height: 3 };
 * ```
 */
export interface TriangleOptions {
  readonly base: number;
  readonly height: number;
}

/**
 * An isosceles triangle standing on its base.
 *
 * @example
 * ```ts
 * new Triangle({ base: 6, height: 3 }).area(); // 9
 * ```
 * @throws {TypeError | RangeError} naming `options.base` or `options.height` unless each is a
 *   positive finite number, small enough for a finite area and drawing.
 */
export class Triangle implements Shape {
  readonly kind = "triangle";
  readonly base: number;
  readonly height: number;

  constructor(options: TriangleOptions) {
    this.base = dimension(options, "base");
    this.height = dimension(options, "height");
    checkDerived([this.area(), this.base * 2], { base: this.base, height: this.height });
  }

  area(): number {
    return (this.base * this.height) / 2;
  }

  draw(): string {
    const scale = scaleToFit(Math.max(this.base, this.height));
    const width = cells(this.base * 2, scale);
    const height = cells(this.height, scale);
    const rows: string[] = [];
    for (let i = 1; i <= height; i++) {
      const span = Math.max(1, Math.round((width * i) / height));
      rows.push(`${" ".repeat(Math.floor((width - span) / 2))}${"#".repeat(span)}`);
    }
    return rows.join("\n");
  }

  toString(): string {
    return `triangle (base ${this.base}, height ${this.height})`;
  }
}

// #region shape-makers
/**
 * The built-in kinds: each kind's maker, whose parameter and result give `create()` its types.
 * Extend it with `interface MyShapes extends ShapeMakers { … }` to add kinds of your own.
 *
 * @example
 * ```ts
 * interface MyShapes extends ShapeMakers {
 *   square: (options: { side: number }) => Rectangle;
 * }
 * ```
 */
export interface ShapeMakers {
  /** `create("circle", { radius })` */
  circle: (options: CircleOptions) => Circle;
  /** `create("rectangle", { width, height })` */
  rectangle: (options: RectangleOptions) => Rectangle;
  /** `create("triangle", { base, height })` */
  triangle: (options: TriangleOptions) => Triangle;
}

/**
 * The built-in makers. Each returns a new, frozen shape: a factory is a good place to hand out
 * products nobody can change behind another holder's back.
 *
 * @example
 * ```ts
 * const circle = shapeMakers.circle({ radius: 2 });
 * Object.isFrozen(circle); // true
 * ```
 */
export const shapeMakers: Readonly<ShapeMakers> = Object.freeze({
  circle: (options: CircleOptions) => Object.freeze(new Circle(options)),
  rectangle: (options: RectangleOptions) => Object.freeze(new Rectangle(options)),
  triangle: (options: TriangleOptions) => Object.freeze(new Triangle(options)),
});

/**
 * A new shape factory with the built-in kinds registered. Give a map that extends
 * {@link ShapeMakers} to register kinds of your own, typed.
 *
 * @example
 * ```ts
 * const shapes = createShapeFactory();
 * shapes.create("circle", { radius: 2 }).draw();
 *
 * const mine = createShapeFactory<MyShapes>();
 * mine.register("square", ({ side }) => new Rectangle({ width: side, height: side }));
 * mine.create("square", { side: 3 }); // Rectangle
 * ```
 */
export function createShapeFactory<
  M extends ShapeMakers & MakerMap<M> = ShapeMakers,
>(): Factory<M> {
  // One new factory per call, not a module-level one: no registry shared by every importer.
  return createFactory<M>("shape", shapeMakers as Partial<M>);
}
// #endregion shape-makers
