/**
 * The source's ShapeFactory: draw each shape, register a new kind at run time, name an unknown kind.
 *
 * Run it with `npm run demo shapes`.
 */
import pc from "picocolors";
import { DuplicateKindError, UnknownKindError } from "../errors";
import {
  Circle,
  createShapeFactory,
  Rectangle,
  type Shape,
  type ShapeMakers,
  Triangle,
} from "../shapes";

const heading = (text: string) => console.log(`\n${pc.bold(pc.cyan(text))}`);
const failure = (error: unknown) =>
  error instanceof Error ? `${pc.red(error.name)}: ${error.message}` : String(error);

/** A kind the factory has never heard of, added at run time below. */
class Diamond implements Shape {
  readonly kind = "diamond";
  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size > 0 && size <= 10)) {
      throw new RangeError(`\`options.size\` must be an integer from 1 to 10, got ${size}`);
    }
  }
  area(): number {
    return 2 * this.size ** 2;
  }
  draw(): string {
    const rows: string[] = [];
    for (let i = -this.size + 1; i < this.size; i++) {
      const span = this.size - Math.abs(i);
      rows.push(`${"  ".repeat(this.size - span)}${"####".repeat(span)}`);
    }
    return rows.join("\n");
  }
  toString(): string {
    return `diamond (size ${this.size})`;
  }
}

/** The built-in kinds plus ours: the types know about "diamond" before it is registered. */
interface DemoShapes extends ShapeMakers {
  diamond: (options: { size: number }) => Diamond;
}

const shapes = createShapeFactory<DemoShapes>();

heading("1. The source's three shapes, made by kind");
for (const shape of [
  shapes.create("circle", { radius: 3 }),
  shapes.create("rectangle", { width: 5, height: 2 }),
  shapes.create("triangle", { base: 6, height: 3 }),
]) {
  console.log(`${pc.green(`${shape}`)}, area ${shape.area().toFixed(2)}`);
  console.log(shape.draw());
}

heading("2. The source's first version: an if/elif chain with no else");
// #region source-bug
// Written as the Python was: an unknown kind falls off the end and returns undefined.
function createShapeLikeTheSource(kind: string) {
  if (kind === "circle") return new Circle({ radius: 1 });
  if (kind === "rectangle") return new Rectangle({ width: 2, height: 1 });
  if (kind === "triangle") return new Triangle({ base: 2, height: 1 });
}
// #endregion source-bug
try {
  // TypeScript flags this call (the result may be undefined); Python's callers got no warning.
  (createShapeLikeTheSource("hexagon") as Shape).draw();
} catch (error) {
  console.log(`createShapeLikeTheSource("hexagon").draw() → ${failure(error)}`);
  console.log(pc.dim("The error names neither the factory nor the kind: it surfaces far away."));
}

heading("3. A new kind, registered at run time without editing the factory");
console.log(`kinds before: ${shapes.kinds().join(", ")}`);
const unregister = shapes.register("diamond", ({ size }) => Object.freeze(new Diamond(size)));
console.log(`kinds after:  ${shapes.kinds().join(", ")}`);
const diamond = shapes.create("diamond", { size: 3 });
console.log(pc.green(`${diamond}`));
console.log(diamond.draw());
try {
  shapes.register("circle", ({ radius }) => new Circle({ radius: radius * 2 }));
} catch (error) {
  if (!(error instanceof DuplicateKindError)) throw error;
  console.log(`register("circle", …) again → ${failure(error)}`);
}

heading("4. Unknown kinds get a named error that lists the known ones");
// A drawing file: data from outside, where the types cannot help.
const drawing: { kind: string }[] = JSON.parse(
  '[{ "kind": "circle", "radius": 1 }, { "kind": "Circle", "radius": 1 }, { "kind": "hexagon" }]',
);
for (const { kind, ...options } of drawing) {
  try {
    const shape = shapes.create(kind as "circle", options as { radius: number });
    console.log(`${JSON.stringify(kind)} → ${pc.green(`${shape}`)}`);
  } catch (error) {
    if (!(error instanceof UnknownKindError)) throw error;
    console.log(`${JSON.stringify(kind)} → ${failure(error)}`);
  }
}
unregister();
try {
  shapes.create("diamond", { size: 3 });
} catch (error) {
  console.log(`after unregister(), "diamond" → ${failure(error)}`);
}

heading("5. Bad options get an error that names the option");
for (const radius of [-1, Number.NaN, "2"]) {
  const shown = typeof radius === "string" ? JSON.stringify(radius) : radius;
  try {
    shapes.create("circle", { radius } as { radius: number });
  } catch (error) {
    console.log(`circle { radius: ${shown} } → ${failure(error)}`);
  }
}
console.log();
