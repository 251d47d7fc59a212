/**
 * Property-based fuzz of the Broker's contract (fast-check): handlers that throw or reject with
 * arbitrary values (hostile ones included), unsubscribe and subscribe others, publish again from
 * inside a round, with an `onError` that may itself throw; arbitrary options everywhere.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Broker, type BrokerOptions, type Subscription } from "./broker";
import { HandlerError, RecursionLimitError } from "./errors";
import { InvalidTopicError } from "./topics";

/** Cases run and values thrown, for the closing note (printed with FUZZ_REPORT=1). */
const tally = { cases: 0, thrown: 0, rejected: 0, options: 0 };
afterAll(() => {
  if (process.env.FUZZ_REPORT) console.info(`broker fuzz: ${JSON.stringify(tally)}`);
});

/** Values a hostile handler throws: unreadable properties, traps that throw, nothing at all. */
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
  | { kind: "reject"; make: () => unknown }
  | { kind: "unsubscribe"; target: number }
  | { kind: "subscribe" }
  | { kind: "publish" };

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.constant({ kind: "ok" as const }),
  thrownValue.map((make) => ({ kind: "throw" as const, make })),
  thrownValue.map((make) => ({ kind: "reject" as const, make })),
  fc.nat(20).map((target) => ({ kind: "unsubscribe" as const, target })),
  fc.constant({ kind: "subscribe" as const }),
  fc.constant({ kind: "publish" as const }),
);

// Each property runs a few hundred cases: about a second here, ten times that under Stryker's
// instrumented code, so each test gets 10 s rather than the kata's 2 s.
const FUZZ_TIMEOUT = 10_000;

describe("Broker, fuzzed", () => {
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on("unhandledRejection", onUnhandled);
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  it(
    "delivers to every handler still subscribed once and reports each failure once",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(behaviour, fc.boolean(), fc.integer({ min: -2, max: 2 })), {
            minLength: 1,
            maxLength: 10,
          }),
          fc.boolean(),
          fc.integer({ min: 1, max: 4 }),
          async (handlers, onErrorThrows, maxDepth) => {
            tally.cases++;
            let reported = 0;
            const broker = new Broker({
              maxDepth,
              onError: (error) => {
                reported += error.errors.length;
                if (onErrorThrows) throw new Error("onError fails too");
              },
            });
            const count = handlers.length;
            let depth = 0;
            const calledTop = new Array<number>(count).fill(0);
            const gone = new Array<boolean>(count).fill(false);
            const thrownTop: unknown[] = [];
            let rejections = 0;
            let violations = 0;
            const subscriptions: Subscription[] = [];
            handlers.forEach(([b, once, priority], i) => {
              const handler = () => {
                if (depth === 0) {
                  if (gone[i]) violations++;
                  calledTop[i] = (calledTop[i] as number) + 1;
                }
                if (once) gone[i] = true;
                switch (b.kind) {
                  case "throw": {
                    const value = b.make();
                    tally.thrown++;
                    if (depth === 0) thrownTop.push(value);
                    throw value;
                  }
                  case "reject": {
                    const value = b.make();
                    tally.rejected++;
                    rejections++;
                    return Promise.reject(value);
                  }
                  case "unsubscribe": {
                    const target = b.target % count;
                    if ((subscriptions[target] as Subscription)()) gone[target] = true;
                    return undefined;
                  }
                  case "subscribe":
                    broker.subscribe("t.x", () => {
                      if (depth === 0) violations++; // subscribed during the round
                    });
                    return undefined;
                  case "publish":
                    depth++;
                    try {
                      broker.publish("t.x", 2);
                    } catch (error) {
                      if (
                        !(error instanceof AggregateError || error instanceof RecursionLimitError)
                      ) {
                        violations++;
                      }
                    } finally {
                      depth--;
                    }
                    return undefined;
                  default:
                    return undefined;
                }
              };
              subscriptions.push(
                broker.subscribe(i % 2 === 0 ? "t.x" : "t.+", handler, { once, priority }),
              );
            });

            let error: unknown;
            try {
              broker.publish("t.x", 1);
            } catch (e) {
              error = e;
            }
            await broker.settled();

            expect(violations).toBe(0);
            for (let i = 0; i < count; i++) {
              expect(calledTop[i] === 1 || (calledTop[i] === 0 && gone[i])).toBe(true);
            }
            if (thrownTop.length === 0) expect(error).toBeUndefined();
            else {
              expect(error).toBeInstanceOf(AggregateError);
              const failures = (error as AggregateError).errors as HandlerError[];
              expect(failures).toHaveLength(thrownTop.length);
              failures.forEach((f, k) => {
                expect(f).toBeInstanceOf(HandlerError);
                expect(Object.is(f.cause, thrownTop[k])).toBe(true);
              });
            }
            expect(reported).toBe(rejections);
          },
        ),
        { numRuns: 150 },
      );
      await new Promise((resolve) => setImmediate(resolve)); // let an unhandled rejection surface
      expect(unhandled).toEqual([]);
    },
    FUZZ_TIMEOUT,
  );

  it(
    "answers any options with a broker or a named error",
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything(),
            fc.record(
              { maxDepth: fc.anything(), onError: fc.anything(), now: fc.anything() },
              { requiredKeys: [] },
            ),
          ),
          fc.anything(),
          fc.anything(),
          (options, subscribeOptions, publishOptions) => {
            tally.cases++;
            tally.options++;
            let broker: Broker;
            try {
              broker = new Broker(options as BrokerOptions);
            } catch (error) {
              expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
              expect((error as Error).message).toMatch(/^`options(\.\w+)?` must be/);
              return;
            }
            for (const act of [
              () => broker.subscribe("a.b", () => {}, subscribeOptions as never),
              () => broker.publish("a.b", 1, publishOptions as never),
            ]) {
              try {
                act();
              } catch (error) {
                expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
                expect((error as Error).message).toMatch(/^`options(\.\w+)?` must be/);
              }
            }
          },
        ),
        { numRuns: 200 },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "answers any topic with a count or a named error",
    () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.anything()), (topic) => {
          tally.cases++;
          const broker = new Broker();
          broker.subscribe("#", () => {});
          try {
            expect(broker.publish(topic as never, 1)).toBeGreaterThanOrEqual(0);
          } catch (error) {
            expect(error instanceof InvalidTopicError || error instanceof TypeError).toBe(true);
          }
        }),
        { numRuns: 200 },
      );
    },
    FUZZ_TIMEOUT,
  );
});
