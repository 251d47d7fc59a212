/**
 * Property-based fuzzing of the asynchronous observer: observers, handlers and tasks that throw,
 * reject, hang and re-enter with arbitrary values, under arbitrary options. The contract: every
 * promise settles, every other observer is still called, every failure is reported once, nothing
 * goes unhandled, and bad options get the named bad-argument error.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  anyValue,
  type Boxed,
  badArgumentProblem,
  fuzzTally,
  watchUnhandledRejections,
} from "../../kata/spec-helpers";
import { AsyncSubject, type AsyncSubjectOptions } from "./async-subject";
import { backoffDelay, JobQueue } from "./job-queue";
import { TaskMonitor } from "./task-monitor";

// Modest: verify runs these on every run, and each test has 2 s (Stryker's instrumented code
// runs them several times slower).
const RUNS = 10;
const TIMEOUT = 50;

/** What one fuzzed observer, handler or task does. */
type Behaviour =
  | { readonly kind: "return"; readonly value: Boxed }
  | { readonly kind: "throw"; readonly value: Boxed }
  | { readonly kind: "reject"; readonly value: Boxed }
  | { readonly kind: "hang" }
  | { readonly kind: "reenter" };

const behaviour = (reenter: boolean): fc.Arbitrary<Behaviour> =>
  fc.oneof(
    fc.record({ kind: fc.constant("return" as const), value: anyValue() }),
    fc.record({ kind: fc.constant("throw" as const), value: anyValue() }),
    fc.record({ kind: fc.constant("reject" as const), value: anyValue() }),
    fc.constant({ kind: "hang" as const }),
    ...(reenter ? [fc.constant({ kind: "reenter" as const })] : []),
  );

/** Whether `b` fails: throws, rejects, hangs past the limit, or returns what cannot be awaited. */
const fails = (b: Behaviour) =>
  b.kind === "throw" ||
  b.kind === "reject" ||
  b.kind === "hang" ||
  (b.kind === "return" && unawaitable(b.value.value));

/** Reading `then` throws (a revoked Proxy…): awaiting it rejects. */
function unawaitable(value: unknown): boolean {
  try {
    if (value !== null && (typeof value === "object" || typeof value === "function")) {
      void (value as { then?: unknown }).then;
    }
    return false;
  } catch {
    return true;
  }
}

/** Runs `b`; a hang never settles by itself (the time limit ends it). */
function act(b: Behaviour): unknown {
  switch (b.kind) {
    case "throw":
      throw b.value.value;
    case "reject":
      return Promise.reject(b.value.value);
    case "hang":
      return new Promise(() => undefined);
    default:
      return b.kind === "return" ? b.value.value : undefined;
  }
}

/** Whether `promise` settles while fake time runs on, a time limit at a time (up to 100). */
async function settlesWithTimers(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let i = 0; i < 20 && !settled; i++) await vi.advanceTimersByTimeAsync(TIMEOUT);
  return settled;
}

let unhandled: ReturnType<typeof watchUnhandledRejections>;

beforeEach(() => {
  vi.useFakeTimers();
  unhandled = watchUnhandledRejections();
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});

afterEach(() => {
  unhandled.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("AsyncSubject under fuzzing", () => {
  it("settles every round, calls every observer and reports every failure once", async () => {
    const tally = fuzzTally("AsyncSubject rounds");
    await fc.assert(
      fc.asyncProperty(
        fc.array(behaviour(true), { minLength: 1, maxLength: 6 }),
        fc.constantFrom("concurrent" as const, "serial" as const),
        fc.constantFrom(1, 2, Number.POSITIVE_INFINITY),
        fc.constantFrom("reject" as const, "drop-oldest" as const, "wait" as const),
        anyValue(),
        async (behaviours, mode, concurrency, overflow, { value }) => {
          tally.values += behaviours.length + 4;
          let failed = 0; // failing calls, counted by the observers themselves
          let reported = 0; // failures the subject reported, through either channel
          const subject = new AsyncSubject<unknown>({
            mode,
            concurrency,
            overflow,
            maxQueue: 4,
            maxDepth: 4,
            timeout: TIMEOUT,
            onError: (error) => {
              reported += error.errors.length;
            },
          });
          const calls = behaviours.map(() => 0);
          behaviours.forEach((b, i) => {
            subject.attach(() => {
              calls[i] = (calls[i] ?? 0) + 1;
              if (b.kind === "reenter") {
                // Publishes again from its synchronous part, once per round, until the depth
                // limit (or a full queue) refuses: both are refusals it catches.
                try {
                  subject.publish(value);
                } catch {
                  // RecursionLimitError, QueueFullError: the refusal is the contract here
                }
                return undefined;
              }
              if (fails(b)) failed++;
              return act(b);
            });
          });

          let outcome: unknown = "pending";
          subject.notify(value).then(
            () => {
              outcome = "resolved";
            },
            (error: unknown) => {
              outcome = error;
              if (error instanceof AggregateError) reported += error.errors.length;
            },
          );
          await vi.advanceTimersByTimeAsync(TIMEOUT * 10);
          expect(await settlesWithTimers(subject.close())).toBe(true);

          expect(outcome).not.toBe("pending");
          for (const count of calls) expect(count).toBeGreaterThanOrEqual(1);
          expect(reported).toBe(failed);
          expect(subject.stats).toMatchObject({ running: 0, queued: 0, waiting: 0 });
          await unhandled.settle();
          expect(unhandled.reasons).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    tally.done(RUNS);
  });

  it("refuses every bad option with the named bad-argument error", () => {
    const tally = fuzzTally("AsyncSubject, JobQueue, TaskMonitor options");
    const option = fc.oneof(anyValue(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.record({
          mode: option,
          timeout: option,
          concurrency: option,
          maxQueue: option,
          maxDepth: option,
          overflow: option,
          onError: option,
          onDrop: option,
        }),
        fc.record({ initialDelay: option, factor: option, maxDelay: option, jitter: option }),
        option,
        (boxedOptions, boxedBackoff, boxedAttempt) => {
          tally.values += 13;
          const open = (boxes: Record<string, Boxed | undefined>) =>
            Object.fromEntries(Object.entries(boxes).map(([k, b]) => [k, b?.value]));
          const options = open(boxedOptions);
          const backoff = open(boxedBackoff);
          const attempt = boxedAttempt?.value;
          const attempts = [
            () => new AsyncSubject(options as AsyncSubjectOptions<unknown>),
            () =>
              new AsyncSubject().stream({
                bufferSize: options.maxQueue,
                signal: options.mode,
              } as never),
            () =>
              new TaskMonitor({
                timeout: options.timeout,
                concurrency: options.concurrency,
              } as never),
            () => new JobQueue({ handler: () => 1, backoff, timeout: options.timeout } as never),
            () => backoffDelay(attempt as number, backoff as never),
          ];
          for (const make of attempts) {
            try {
              const made = make();
              if (typeof made === "number") expect(made).toBeGreaterThanOrEqual(0);
            } catch (error) {
              expect(badArgumentProblem(error)).toBeUndefined();
            }
          }
        },
      ),
      { numRuns: RUNS * 3 },
    );
    tally.done(RUNS * 3);
  });
});

describe("JobQueue under fuzzing", () => {
  it("ends every accepted job as succeeded or dead, whatever its handler does", async () => {
    const tally = fuzzTally("JobQueue jobs");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(behaviour(false), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        async (jobs, maxAttempts, maxDeadLetters) => {
          tally.values += jobs.flat().length + 2;
          const queue = new JobQueue<number>({
            // Attempt n of job i does jobs[i][n - 1] (the last one again once they run out).
            handler: (i, job) => {
              const plan = jobs[i] ?? [];
              return act(plan[Math.min(job.attempt, plan.length) - 1] as Behaviour);
            },
            maxAttempts,
            maxDeadLetters,
            timeout: TIMEOUT,
            backoff: { initialDelay: 1, maxDelay: 10 },
            onError: () => undefined,
          });
          queue.attach((event) => {
            if (event.type === "dead") throw event.error; // an observer failing with it too
          });
          jobs.forEach((_, i) => {
            queue.enqueue(i);
          });

          const idle = queue.idle();
          await vi.advanceTimersByTimeAsync(TIMEOUT * 10);
          await idle;

          const { succeeded, dead, deadDropped, waiting, running, delayed } = queue.stats;
          expect(succeeded + dead + deadDropped).toBe(jobs.length);
          expect(dead).toBeLessThanOrEqual(maxDeadLetters);
          expect(waiting + running + delayed).toBe(0);
          await unhandled.settle();
          expect(unhandled.reasons).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    tally.done(RUNS);
  });
});

describe("TaskMonitor under fuzzing", () => {
  it("gives one outcome per task, in order, whatever the tasks do", async () => {
    const tally = fuzzTally("TaskMonitor runs");
    await fc.assert(
      fc.asyncProperty(
        fc.array(behaviour(false), { minLength: 0, maxLength: 8 }),
        fc.constantFrom(1, 3, Number.POSITIVE_INFINITY),
        async (tasks, concurrency) => {
          tally.values += tasks.length + 1;
          const monitor = new TaskMonitor({ concurrency, timeout: TIMEOUT, onError: () => {} });
          const failedEvents: number[] = [];
          monitor.attach((event) => {
            if (event.type === "failed") failedEvents.push(event.index);
            if (event.type === "started") throw new Error("a broken progress bar");
          });
          let outcomes: PromiseSettledResult<unknown>[] | undefined;
          void monitor.run(tasks.map((b) => () => act(b))).then((result) => {
            outcomes = result;
          });
          await vi.advanceTimersByTimeAsync(TIMEOUT * 10);

          expect(outcomes).toHaveLength(tasks.length);
          const rejected = tasks.flatMap((b, i) => (fails(b) ? [i] : []));
          expect(outcomes?.flatMap((o, i) => (o.status === "rejected" ? [i] : []))).toEqual(
            rejected,
          );
          expect(failedEvents.sort((a, b) => a - b)).toEqual(rejected);
          await unhandled.settle();
          expect(unhandled.reasons).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    tally.done(RUNS);
  });
});
