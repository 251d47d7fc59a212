/**
 * Property-based fuzz of the Subject's contract (fast-check): observers that throw arbitrary
 * values (hostile ones included), detach and attach others, and notify again from inside a round;
 * arbitrary options. A failing case is shrunk and printed with its seed.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ObserverError, RecursionLimitError, Subject, type SubjectOptions } from "./subject";

/** Cases run and values thrown, for the closing note (printed with FUZZ_REPORT=1). */
const tally = { cases: 0, thrown: 0, options: 0 };
afterAll(() => {
  if (process.env.FUZZ_REPORT) console.info(`subject fuzz: ${JSON.stringify(tally)}`);
});

/** Values a hostile observer throws: unreadable properties, traps that throw, nothing at all. */
const hostile = fc.constantFrom(
  () => Object.create(null),
  () => {
    const error = new Error("x");
    Object.defineProperty(error, "message", {
      get() {
        throw new Error("message getter");
      },
    });
    return error;
  },
  () => {
    const error = new Error("x");
    Object.defineProperty(error, "name", {
      get() {
        throw new Error("name getter");
      },
    });
    return error;
  },
  () => {
    const trap = () => {
      throw new Error("trap");
    };
    return new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap });
  },
  () => undefined,
);
const thrownValue = fc.oneof(
  fc.anything().map((value) => () => value),
  hostile,
);

type Behaviour =
  | { kind: "ok" }
  | { kind: "throw"; make: () => unknown }
  | { kind: "detach"; target: number }
  | { kind: "attach" }
  | { kind: "notify" };

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.constant({ kind: "ok" as const }),
  thrownValue.map((make) => ({ kind: "throw" as const, make })),
  fc.nat(20).map((target) => ({ kind: "detach" as const, target })),
  fc.constant({ kind: "attach" as const }),
  fc.constant({ kind: "notify" as const }),
);

// Each property runs a few hundred cases: about a second here, ten times that under Stryker's
// instrumented code, so each test gets 10 s rather than the kata's 2 s.
const FUZZ_TIMEOUT = 10_000;

describe("Subject, fuzzed", () => {
  it(
    "calls every observer still attached once per round and reports each failure once",
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(behaviour, fc.boolean()), { minLength: 1, maxLength: 10 }),
          fc.constantFrom<SubjectOptions["compile"]>("auto", "eager", "off"),
          fc.integer({ min: 1, max: 4 }),
          fc.nat(3),
          (observers, compile, maxDepth, warmRounds) => {
            tally.cases++;
            const subject = new Subject<number>({ compile, maxDepth });
            const count = observers.length;
            let depth = 0;
            const calledTop = new Array<number>(count).fill(0);
            const gone = new Array<boolean>(count).fill(false);
            const thrownTop: unknown[] = [];
            let violations = 0;
            let armed = false; // behaviours act only in the round under test
            const fns = observers.map(([b, once], i) => {
              const fn = (_value: number) => {
                if (armed && depth === 0) {
                  if (gone[i]) violations++; // called after it was detached
                  calledTop[i] = (calledTop[i] as number) + 1;
                }
                if (once) gone[i] = true; // in a warm-up round too
                if (!armed) return;
                switch (b.kind) {
                  case "throw": {
                    const value = b.make();
                    tally.thrown++;
                    if (depth === 0) thrownTop.push(value);
                    throw value;
                  }
                  case "detach": {
                    const target = b.target % count;
                    if (subject.detach(fns[target] as (v: number) => void)) gone[target] = true;
                    return;
                  }
                  case "attach":
                    subject.attach(() => {
                      if (armed && depth === 0) violations++; // attached during the round
                    });
                    return;
                  case "notify":
                    depth++;
                    try {
                      subject.notify(2);
                    } catch (error) {
                      // a nested round's failures, or the depth limit: both are the nested round's
                      if (
                        !(error instanceof AggregateError || error instanceof RecursionLimitError)
                      ) {
                        violations++;
                      }
                    } finally {
                      depth--;
                    }
                    return;
                  default:
                    return;
                }
              };
              return fn;
            });
            fns.forEach((fn, i) => {
              subject.attach(fn, { once: observers[i]?.[1] as boolean });
            });
            for (let r = 0; r < warmRounds; r++) subject.notify(0); // some lists compile first
            armed = true;

            let error: unknown;
            try {
              subject.notify(1);
            } catch (e) {
              error = e;
            }

            expect(violations).toBe(0);
            for (let i = 0; i < count; i++) {
              // called once, or detached (by another, or as a once) before its turn
              expect(calledTop[i] === 1 || (calledTop[i] === 0 && gone[i])).toBe(true);
            }
            if (thrownTop.length === 0) expect(error).toBeUndefined();
            else {
              expect(error).toBeInstanceOf(AggregateError);
              const failures = (error as AggregateError).errors as ObserverError[];
              expect(failures.map((f) => f instanceof ObserverError)).toEqual(
                thrownTop.map(() => true),
              );
              failures.forEach((f, k) => {
                expect(Object.is(f.cause, thrownTop[k])).toBe(true);
                expect(typeof f.message).toBe("string");
              });
            }
          },
        ),
        { numRuns: 200 },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "answers any options with a subject or a named error",
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything(),
            fc.record({ maxDepth: fc.anything(), compile: fc.anything() }, { requiredKeys: [] }),
          ),
          fc.anything(),
          (options, attachOptions) => {
            tally.cases++;
            tally.options++;
            let subject: Subject<number> | undefined;
            try {
              subject = new Subject<number>(options as SubjectOptions);
            } catch (error) {
              expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
              expect((error as Error).message).toMatch(/^`(options|maxDepth|compile)` must be/);
              return;
            }
            try {
              subject.attach(() => {}, attachOptions as never);
            } catch (error) {
              expect(error).toBeInstanceOf(TypeError);
              expect((error as Error).message).toMatch(/^`options(\.\w+)?` must be/);
            }
          },
        ),
        { numRuns: 200 },
      );
    },
    FUZZ_TIMEOUT,
  );
});
