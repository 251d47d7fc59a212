/**
 * Property-based fuzzing of the singleton helpers: initialisations that throw, reject or hang
 * with arbitrary values, concurrent callers and resets, and arbitrary options. Every get()
 * settles, a failure is not kept, nothing goes unhandled, and bad options get the named error.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  anyValue,
  badArgumentProblem,
  fuzzTally,
  watchUnhandledRejections,
} from "../../kata/spec-helpers";
import { AsyncSingleton } from "./async-singleton";
import { Container, token } from "./container";
import { lazy } from "./lazy";
import { SingletonRegistry } from "./registry";

const RUNS = 20;
const TIMEOUT = 50;

/** Whether reading `then` from `value` works (not on a revoked Proxy, say). */
function awaitable(value: unknown): boolean {
  try {
    if (value !== null && (typeof value === "object" || typeof value === "function")) {
      void (value as { then?: unknown }).then;
    }
    return true;
  } catch {
    return false;
  }
}

let unhandled: ReturnType<typeof watchUnhandledRejections>;

beforeEach(() => {
  vi.useFakeTimers();
  unhandled = watchUnhandledRejections();
});

afterEach(() => {
  unhandled.stop();
  vi.useRealTimers();
});

describe("AsyncSingleton under fuzzing", () => {
  it("settles every get(), keeps no failure, and leaves nothing unhandled", async () => {
    const tally = fuzzTally("AsyncSingleton get/reset");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("throw" as const, "reject" as const, "resolve" as const, "hang" as const),
        anyValue(),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (kind, { value }, callers, reset) => {
          tally.values += 4;
          const init = vi.fn(() => {
            if (kind === "throw") throw value;
            if (kind === "reject") return Promise.reject(value);
            if (kind === "hang") return new Promise(() => undefined);
            return value;
          });
          const single = new AsyncSingleton(init, { timeoutMs: TIMEOUT });
          const outcomes: string[] = [];
          for (let i = 0; i < callers; i++) {
            single.get().then(
              () => outcomes.push("value"),
              () => outcomes.push("error"),
            );
          }
          if (reset) void single.reset().catch(() => undefined);
          await vi.advanceTimersByTimeAsync(TIMEOUT * 2);

          expect(outcomes).toHaveLength(callers);
          expect(init.mock.calls.length).toBeLessThanOrEqual(1);
          // A value whose `then` cannot be read fails its initialisation, as awaiting it would.
          const ready = kind === "resolve" && !reset && awaitable(value);
          expect(single.state).toBe(ready ? "ready" : "idle");
          await unhandled.settle();
          expect(unhandled.reasons).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    tally.done(RUNS);
  });

  it("refuses bad options by name", () => {
    const tally = fuzzTally("singleton options");
    fc.assert(
      fc.property(anyValue(), anyValue(), anyValue(), (a, b, c) => {
        tally.values += 3;
        const options = { name: a.value, timeoutMs: b.value, dispose: c.value } as never;
        const attempts = [
          () => new AsyncSingleton(() => 1, options),
          () => new AsyncSingleton(() => 1, a.value as never),
          () => lazy(() => 1, options),
          () => new SingletonRegistry(() => 1, options),
          () => new Container().register(token("x"), () => 1, { lifetime: a.value } as never),
        ];
        for (const call of attempts) {
          try {
            call();
          } catch (error) {
            expect(badArgumentProblem(error)).toBeUndefined();
          }
        }
      }),
      { numRuns: RUNS * 5 },
    );
    tally.done(RUNS * 5);
  });
});

describe("lazy() and the container under fuzzing", () => {
  it("keep no failed value, whatever is thrown, and try again", () => {
    const tally = fuzzTally("lazy and Container failures");
    fc.assert(
      fc.property(anyValue(), ({ value }) => {
        tally.values += 1;
        let fail = true;
        const create = () => {
          if (fail) throw value;
          return "made";
        };
        const value1 = lazy(create);
        const service = token<string>("service");
        const container = new Container().register(service, create);
        for (const get of [() => value1.get(), () => container.resolve(service)]) {
          let threw = false;
          try {
            get();
          } catch (error) {
            threw = Object.is(error, value);
          }
          expect(threw).toBe(true);
        }
        fail = false;
        expect(value1.get()).toBe("made");
        expect(container.resolve(service)).toBe("made");
      }),
      { numRuns: RUNS * 5 },
    );
    tally.done(RUNS * 5);
  });
});
