/**
 * Property-based fuzzing of the factory: arbitrary names, kinds, makers and options. Every call
 * either works or throws a named error; never a stray "Cannot read properties".
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyValue, badArgumentProblem, fuzzTally } from "../../kata/spec-helpers";
import { UnknownKindError } from "./errors";
import { createFactory } from "./factory";
import { createShapeFactory } from "./shapes";

const RUNS = 100;

/** `create()` as an untyped caller (JSON, JavaScript) reaches it. */
type Untyped = (kind: unknown, options: unknown) => unknown;

describe("the factory under fuzzing", () => {
  it("makes a product or throws a named error, whatever it is given", () => {
    const tally = fuzzTally("factory create/register");
    fc.assert(
      fc.property(anyValue(), anyValue(), anyValue(), anyValue(), (name, kind, make, options) => {
        tally.values += 4;
        const attempts = [
          () => createFactory(name.value as string),
          () => createFactory("thing", { [String(typeof kind.value)]: make.value } as never),
          () =>
            createFactory<Record<string, () => unknown>>("thing").register(
              kind.value as string,
              make.value as () => unknown,
            ),
          () => (createShapeFactory().create as Untyped)(kind.value, options.value),
          () => createShapeFactory().create("rectangle", options.value as never),
        ];
        for (const call of attempts) {
          try {
            call();
          } catch (error) {
            if (error instanceof UnknownKindError) continue;
            expect(badArgumentProblem(error)).toBeUndefined();
          }
        }
      }),
      { numRuns: RUNS },
    );
    tally.done(RUNS);
  });

  it("draws every shape it accepts, whatever its dimensions", () => {
    const tally = fuzzTally("shapes dimensions");
    const size = fc.oneof(fc.double(), fc.constantFrom(1e308, 1e154, 1e-308, 2 ** 31));
    fc.assert(
      fc.property(
        fc.constantFrom("circle" as const, "rectangle" as const, "triangle" as const),
        size,
        size,
        (kind, a, b) => {
          tally.values += 3;
          const options = { radius: a, width: a, base: a, height: b };
          let shape: { area(): number; draw(): string } | undefined;
          try {
            shape = createShapeFactory().create(kind, options);
          } catch (error) {
            expect(badArgumentProblem(error)).toBeUndefined();
            return;
          }
          expect(Number.isFinite(shape.area())).toBe(true);
          expect(shape.draw().split("\n").length).toBeLessThanOrEqual(24);
        },
      ),
      { numRuns: RUNS * 3 },
    );
    tally.done(RUNS * 3);
  });
});
