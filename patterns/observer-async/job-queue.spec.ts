import { setImmediate as realTick } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hostileValues } from "../../kata/spec-helpers";
import { ClosedError, QueueFullError, RecursionLimitError, TimeoutError } from "./errors";
import { backoffDelay, type JobEvent, JobQueue } from "./job-queue";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A handler that fails its first `failures` attempts, recording when each attempt started. */
function flaky(failures: number) {
  const attempts: number[] = [];
  const handler = vi.fn(async (_payload: string) => {
    attempts.push(Date.now());
    if (attempts.length <= failures) throw new Error(`attempt ${attempts.length} failed`);
    return `ok after ${attempts.length}`;
  });
  return { handler, attempts };
}

/** "type id" (and the attempt) for each event, to compare sequences at a glance. */
const brief = (events: readonly JobEvent<unknown, unknown>[]) =>
  events.map((e) => `${e.type} ${e.id}${"attempt" in e ? ` #${e.attempt}` : ""}`);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("enqueue()", () => {
  it("returns a distinct id at once, before the handler runs", () => {
    const handler = vi.fn();
    const queue = new JobQueue<string>({ handler });
    const ids = [queue.enqueue("a"), queue.enqueue("b")];
    expect(ids).toEqual(["job-1", "job-2"]);
    expect(handler).not.toHaveBeenCalled();
  });

  it("runs the handler with the payload and the job's context", async () => {
    const handler = vi.fn();
    const queue = new JobQueue<string>({ handler });
    const id = queue.enqueue("welcome-email");
    await queue.idle();
    expect(handler).toHaveBeenCalledWith("welcome-email", {
      id,
      attempt: 1,
      signal: expect.any(AbortSignal),
    });
  });

  it("runs `concurrency` jobs at once, in the order they were enqueued", async () => {
    const starts: string[] = [];
    const queue = new JobQueue<string>({
      concurrency: 2,
      handler: async (name) => {
        starts.push(`${name}@${Date.now()}`);
        await sleep(100);
      },
    });
    const t = Date.now();
    for (const name of ["a", "b", "c"]) queue.enqueue(name);
    await vi.advanceTimersByTimeAsync(200);
    expect(starts).toEqual([`a@${t}`, `b@${t}`, `c@${t + 100}`]);
  });

  it("throws a QueueFullError when `maxQueue` unfinished jobs are accepted", () => {
    const queue = new JobQueue<string>({ handler: () => sleep(100), maxQueue: 2 });
    queue.enqueue("a");
    queue.enqueue("b");
    expect(() => queue.enqueue("c")).toThrow(QueueFullError);
    expect(() => queue.enqueue("c")).toThrow("the queue is full (2 waiting)");
  });

  it("counts running jobs and jobs waiting for a retry against `maxQueue`", async () => {
    const handler = (payload: string) =>
      payload === "a" ? Promise.reject(new Error("a fails")) : sleep(1000);
    const queue = new JobQueue<string>({ handler, maxQueue: 2, backoff: () => 1000 });
    queue.enqueue("a");
    queue.enqueue("b");
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.stats).toMatchObject({ waiting: 0, running: 1, delayed: 1 });

    expect(() => queue.enqueue("c")).toThrow(QueueFullError);
    await vi.advanceTimersByTimeAsync(1000);
  });
});

describe("retries with exponential backoff", () => {
  it("retries a failing job after 100 ms, then 200 ms, by default", async () => {
    const { handler, attempts } = flaky(2);
    const queue = new JobQueue<string>({ handler });
    const t = Date.now();
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(299);
    expect(attempts).toEqual([t, t + 100]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([t, t + 100, t + 300]);
  });

  it("follows the configured backoff, capped at maxDelay", async () => {
    const { handler, attempts } = flaky(4);
    const queue = new JobQueue<string>({
      handler,
      maxAttempts: 5,
      backoff: { initialDelay: 50, factor: 3, maxDelay: 200 },
    });
    const t = Date.now();
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts.map((a) => a - t)).toEqual([0, 50, 200, 400, 600]);
  });

  it("applies full jitter with the injected random source", async () => {
    const { handler, attempts } = flaky(1);
    const queue = new JobQueue<string>({
      handler,
      backoff: { initialDelay: 1000, jitter: "full", random: () => 0.25 },
    });
    const t = Date.now();
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts.map((a) => a - t)).toEqual([0, 250]);
  });

  it("accepts a backoff function of the failed attempt's number", async () => {
    const { handler, attempts } = flaky(2);
    const queue = new JobQueue<string>({ handler, backoff: (n) => n * 1000 });
    const t = Date.now();
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(3000);
    expect(attempts.map((a) => a - t)).toEqual([0, 1000, 3000]);
  });

  it("retries a handler that throws synchronously like one that rejects", async () => {
    let calls = 0;
    const queue = new JobQueue<string>({
      handler: () => {
        calls++;
        if (calls === 1) throw new Error("sync");
        return "ok";
      },
    });
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    expect(queue.stats).toMatchObject({ succeeded: 1, dead: 0 });
  });

  it("does not hold up other jobs while one waits for its retry", async () => {
    const done: string[] = [];
    const queue = new JobQueue<string>({
      handler: (name) => {
        if (name === "bad") throw new Error("no");
        done.push(`${name}@${Date.now()}`);
      },
      backoff: { initialDelay: 1000 },
      maxAttempts: 2,
    });
    const t = Date.now();
    queue.enqueue("bad");
    queue.enqueue("good");
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([`good@${t}`]);
    expect(queue.stats).toMatchObject({ delayed: 1, running: 0, waiting: 0 });
    await vi.advanceTimersByTimeAsync(1000);
  });
});

describe("the dead-letter list", () => {
  it("moves a job that fails every attempt to the dead letters, with every error", async () => {
    const { handler } = flaky(Number.POSITIVE_INFINITY);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3 });
    const id = queue.enqueue("doomed");
    await vi.advanceTimersByTimeAsync(300);
    expect(handler).toHaveBeenCalledTimes(3);
    expect(queue.deadLetters).toEqual([
      {
        id,
        payload: "doomed",
        attempts: 3,
        errors: [
          new Error("attempt 1 failed"),
          new Error("attempt 2 failed"),
          new Error("attempt 3 failed"),
        ],
      },
    ]);
  });

  it("never dead-letters a job that succeeds on a retry", async () => {
    const { handler } = flaky(2);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3 });
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(300);
    expect(queue.deadLetters).toEqual([]);
    expect(queue.stats).toMatchObject({ succeeded: 1, dead: 0 });
  });

  it("tries only once with maxAttempts: 1", async () => {
    const { handler } = flaky(1);
    const queue = new JobQueue<string>({ handler, maxAttempts: 1 });
    queue.enqueue("x");
    await queue.idle();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(queue.deadLetters).toHaveLength(1);
  });

  it("retries a dead letter with fresh attempts, under the same id", async () => {
    let healthy = false;
    const queue = new JobQueue<string>({
      maxAttempts: 1,
      handler: () => {
        if (!healthy) throw new Error("down");
      },
    });
    const id = queue.enqueue("x");
    await queue.idle();
    healthy = true;
    expect(queue.retryDead("job-404")).toBe(false);
    expect(queue.retryDead(id)).toBe(true);
    await queue.idle();
    expect(queue.deadLetters).toEqual([]);
    expect(queue.stats.succeeded).toBe(1);
  });

  it("dead-letters a retried dead letter again with only its new attempts' errors", async () => {
    const queue = new JobQueue<string>({
      maxAttempts: 1,
      handler: () => {
        throw new Error("still down");
      },
    });
    const id = queue.enqueue("x");
    await queue.idle();

    queue.retryDead(id);
    await queue.idle();

    expect(queue.deadLetters).toEqual([
      { id, payload: "x", attempts: 1, errors: [new Error("still down")] },
    ]);
  });

  it("dead-letters a permanent failure at once when `retryable` says no", async () => {
    class PermanentError extends Error {}
    const handler = vi.fn(() => {
      throw new PermanentError("550 no such mailbox");
    });
    const retryable = vi.fn((error: unknown) => !(error instanceof PermanentError));
    const queue = new JobQueue<string>({ handler, maxAttempts: 5, retryable });
    queue.enqueue("mallory@invalid");
    await queue.idle();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(retryable).toHaveBeenCalledWith(expect.any(PermanentError), 1);
    expect(queue.deadLetters[0]?.attempts).toBe(1);
  });

  it("retries while `retryable` says yes", async () => {
    const { handler } = flaky(1);
    const queue = new JobQueue<string>({ handler, retryable: () => true });
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.stats).toMatchObject({ succeeded: 1, dead: 0 });
  });

  it("dead-letters the job when `retryable` throws, keeping that error too", async () => {
    const queue = new JobQueue<string>({
      handler: () => {
        throw new Error("fails");
      },
      retryable: () => {
        throw new Error("broken predicate");
      },
    });
    queue.enqueue("x");
    await queue.idle();
    expect(queue.deadLetters[0]?.errors).toEqual([
      new Error("fails"),
      new Error("broken predicate"),
    ]);
  });

  it("dead-letters the job when a backoff function returns a negative delay", async () => {
    const queue = new JobQueue<string>({
      handler: () => {
        throw new Error("fails");
      },
      backoff: () => -1,
    });
    queue.enqueue("x");

    await queue.idle();

    expect(queue.deadLetters[0]?.errors[1]).toEqual(
      new RangeError(
        "`backoff` returned -1 for attempt 1; expected a number of milliseconds from 0 up to 2147483647",
      ),
    );
  });

  it("retries at once when a backoff function returns 0", async () => {
    const { handler } = flaky(1);
    const queue = new JobQueue<string>({ handler, backoff: () => 0 });
    queue.enqueue("x");

    await vi.advanceTimersByTimeAsync(0);

    expect(queue.stats).toMatchObject({ succeeded: 1, dead: 0 });
  });

  it("dead-letters the job when a backoff function throws, instead of losing it", async () => {
    const queue = new JobQueue<string>({
      handler: () => {
        throw new Error("fails");
      },
      backoff: () => Number.NaN,
    });
    queue.enqueue("x");
    const escaped: unknown[] = [];
    const listener = (reason: unknown) => escaped.push(reason);
    process.on("unhandledRejection", listener);
    try {
      await queue.idle();
      await realTick();
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(escaped).toEqual([]);
    const [letter] = queue.deadLetters;
    expect(letter?.attempts).toBe(1);
    expect(letter?.errors[1]).toBeInstanceOf(RangeError);
  });
});

describe("observers: the job events", () => {
  it("see enqueued, started, retrying and succeeded events in order", async () => {
    const { handler } = flaky(1);
    const queue = new JobQueue<string, string>({ handler });
    const events: JobEvent<string, string>[] = [];
    queue.attach((event) => {
      events.push(event);
    });
    const id = queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(100);
    expect(brief(events)).toEqual([
      `enqueued ${id}`,
      `started ${id} #1`,
      `retrying ${id} #1`,
      `started ${id} #2`,
      `succeeded ${id} #2`,
    ]);
    expect(events[2]).toMatchObject({ delay: 100, error: { message: "attempt 1 failed" } });
    expect(events[4]).toMatchObject({ result: "ok after 2", payload: "x" });
  });

  it("see a dead event with the attempt count and the last error", async () => {
    const queue = new JobQueue<string>({
      maxAttempts: 2,
      handler: () => {
        throw new Error("always");
      },
    });
    const dead = vi.fn();
    queue.attach((e) => {
      if (e.type === "dead") dead(e);
    });
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(100);
    expect(dead).toHaveBeenCalledWith({
      type: "dead",
      id: "job-1",
      payload: "x",
      attempts: 2,
      error: new Error("always"),
    });
  });

  it("see the last attempt's error in the dead event, not an earlier one", async () => {
    let attempt = 0;
    const queue = new JobQueue<string>({
      maxAttempts: 3,
      backoff: () => 1,
      handler: () => {
        throw new Error(`attempt ${++attempt} failed`);
      },
    });
    const dead = vi.fn();
    queue.attach((e) => {
      if (e.type === "dead") dead(e.error);
    });
    queue.enqueue("x");

    await vi.advanceTimersByTimeAsync(10);

    expect(dead).toHaveBeenCalledExactlyOnceWith(new Error("attempt 3 failed"));
  });

  it("can be attached to or iterated through `events`", async () => {
    const queue = new JobQueue<string>({ handler: () => undefined });
    const types: string[] = [];
    queue.events.attach((e) => {
      types.push(e.type);
    });
    queue.enqueue("x");

    await queue.idle();

    expect(types).toEqual(["enqueued", "started", "succeeded"]);
  });

  it("send failing observers to onError without disturbing the jobs", async () => {
    const onError = vi.fn();
    const handler = vi.fn();
    const queue = new JobQueue<string>({ handler, onError });
    queue.attach(() => Promise.reject(new Error("log shipper down")));
    queue.enqueue("x");
    await queue.idle();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(3); // enqueued, started, succeeded
    expect(onError.mock.calls.map(([, event]) => event.type)).toEqual([
      "enqueued",
      "started",
      "succeeded",
    ]);
  });
});

describe("idle(), close() and timeouts", () => {
  it("resolves idle() only when retries are over too", async () => {
    const { handler } = flaky(2);
    const queue = new JobQueue<string>({ handler });
    queue.enqueue("x");
    let idle = false;
    void queue.idle().then(() => {
      idle = true;
    });
    await vi.advanceTimersByTimeAsync(299);
    expect(idle).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(idle).toBe(true);
  });

  it("refuses jobs with a ClosedError after close(), which waits for accepted ones", async () => {
    const handler = vi.fn(() => sleep(100));
    const queue = new JobQueue<string>({ handler });
    queue.enqueue("x");
    let closed = false;
    void queue.close().then(() => {
      closed = true;
    });
    expect(() => queue.enqueue("y")).toThrow(ClosedError);
    expect(() => queue.enqueue("y")).toThrow("the job queue is closed");
    await vi.advanceTimersByTimeAsync(100);
    expect(closed).toBe(true);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("fails an attempt that runs past `timeout` with a TimeoutError and retries it", async () => {
    const signals: AbortSignal[] = [];
    const queue = new JobQueue<string>({
      timeout: 50,
      maxAttempts: 2,
      handler: (_payload, job) => {
        signals.push(job.signal);
        return new Promise(() => undefined);
      },
    });
    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(50 + 100 + 50);
    const errors = queue.deadLetters[0]?.errors ?? [];
    expect(errors).toEqual([expect.any(TimeoutError), expect.any(TimeoutError)]);
    expect((errors[0] as Error).message).toBe("job job-1 timed out after 50 ms");
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });
});

describe("backoffDelay()", () => {
  it("doubles from 100 ms by default", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n))).toEqual([100, 200, 400, 800]);
  });

  it("never exceeds maxDelay", () => {
    expect(backoffDelay(30, { maxDelay: 5000 })).toBe(5000);
  });

  it.each([
    [
      { initialDelay: -40 },
      "`backoff.initialDelay` must be a number of milliseconds above 0 up to 2147483647, got -40",
    ],
    [
      { maxDelay: 1e308 },
      "`backoff.maxDelay` must be a number of milliseconds above 0 up to 2147483647, got 1e+308",
    ],
    [{ factor: Number.NaN }, "`backoff.factor` must be a finite number of at least 1, got NaN"],
  ])("refuses %o by name instead of computing a delay from it", (options, message) => {
    expect(() => backoffDelay(4, options)).toThrow(new RangeError(message));
  });

  it("refuses null options by name", () => {
    expect(() => backoffDelay(1, null as never)).toThrow(
      new TypeError("`backoff` must be an object, got null"),
    );
  });

  it.each([1, -0.1, Number.NaN])("refuses a random source that returns %d", (value) => {
    expect(() => backoffDelay(1, { jitter: "full", random: () => value })).toThrow(
      new RangeError(
        `\`backoff.random()\` must be a number from 0 up to (not including) 1, got ${value}`,
      ),
    );
  });

  it("rejects an attempt number below 1 with a RangeError naming it", () => {
    expect(() => backoffDelay(0)).toThrow(
      new RangeError("`attempt` must be a whole number of at least 1, got 0"),
    );
  });
});

describe("bad options", () => {
  it("requires a handler function", () => {
    expect(() => new JobQueue({} as never)).toThrow(
      new TypeError("`handler` must be a function, got undefined"),
    );
    expect(() => new JobQueue(undefined as never)).toThrow(
      new TypeError("`options` must be an object with a handler, got undefined"),
    );
    expect(() => new JobQueue(null as never)).toThrow(
      new TypeError("`options` must be an object with a handler, got null"),
    );
  });

  it("accepts Infinity as concurrency and maxQueue, and a backoff factor of 1", () => {
    expect(
      () =>
        new JobQueue({
          handler: () => undefined,
          concurrency: Number.POSITIVE_INFINITY,
          maxQueue: Number.POSITIVE_INFINITY,
          backoff: { factor: 1 },
        }),
    ).not.toThrow();
  });

  it.each([
    [{ maxAttempts: 0 }, "`maxAttempts`"],
    [{ concurrency: 0 }, "`concurrency`"],
    [{ maxQueue: 0 }, "`maxQueue`"],
    [{ timeout: -5 }, "`timeout`"],
    [{ backoff: { initialDelay: 0 } }, "`backoff.initialDelay`"],
    [{ backoff: { maxDelay: 0 } }, "`backoff.maxDelay` must be a number of milliseconds above 0"],
    [{ backoff: { factor: 0.5 } }, "`backoff.factor`"],
    [{ timeout: 2 ** 31 }, "`timeout` must be a number of milliseconds above 0 up to 2147483647"],
    [{ timeout: 1e308 }, "got 1e+308"],
    [{ backoff: { initialDelay: -40 } }, "`backoff.initialDelay`"],
    [{ backoff: { maxDelay: 2 ** 31 } }, "`backoff.maxDelay`"],
    [{ backoff: { factor: Number.POSITIVE_INFINITY } }, "`backoff.factor`"],
    [{ maxDeadLetters: -1 }, "`maxDeadLetters` must be a whole number of at least 0 (or Infinity)"],
  ])("rejects %o with a RangeError naming the option", (options, message) => {
    expect(() => new JobQueue({ handler: () => undefined, ...options })).toThrow(RangeError);
    expect(() => new JobQueue({ handler: () => undefined, ...options })).toThrow(message);
  });

  it("rejects a `retryable` that is not a function", () => {
    expect(() => new JobQueue({ handler: () => undefined, retryable: true as never })).toThrow(
      new TypeError("`retryable` must be a function, got true"),
    );
  });

  it("rejects an unknown jitter with a TypeError", () => {
    expect(
      () => new JobQueue({ handler: () => undefined, backoff: { jitter: "half" as never } }),
    ).toThrow(new TypeError('`backoff.jitter` must be "none" or "full", got "half"'));
  });

  it.each([
    [null, "`backoff` must be an object, got null"],
    [5, "`backoff` must be an object, got 5"],
    [{ random: 0.5 }, "`backoff.random` must be a function, got 0.5"],
    [{ factor: "2" }, '`backoff.factor` must be a finite number of at least 1, got "2"'],
  ])("rejects backoff %o with a TypeError naming it", (backoff, message) => {
    expect(() => new JobQueue({ handler: () => undefined, backoff: backoff as never })).toThrow(
      new TypeError(message),
    );
  });
});

describe("dead letters are bounded", () => {
  const failing = () => {
    throw new Error("down");
  };

  it("keeps at most `maxDeadLetters`, dropping and counting the oldest", async () => {
    const dead = vi.fn();
    const queue = new JobQueue<number>({ handler: failing, maxAttempts: 1, maxDeadLetters: 2 });
    queue.attach((event) => {
      if (event.type === "dead") dead(event.id);
    });
    for (let i = 0; i < 5; i++) queue.enqueue(i);

    await queue.idle();

    expect(queue.deadLetters.map((letter) => letter.payload)).toEqual([3, 4]);
    expect(queue.stats).toMatchObject({ dead: 2, deadDropped: 3 });
    expect(dead).toHaveBeenCalledTimes(5); // observers still hear of every one
  });

  it("keeps 1 000 by default", async () => {
    const queue = new JobQueue<number>({ handler: failing, maxAttempts: 1, concurrency: 100 });
    for (let i = 0; i < 1_001; i++) queue.enqueue(i);

    await queue.idle();

    expect(queue.stats).toMatchObject({ dead: 1_000, deadDropped: 1 });
    expect(queue.deadLetters[0]?.payload).toBe(1);
  });

  it("keeps none with `maxDeadLetters: 0`", async () => {
    const queue = new JobQueue<number>({ handler: failing, maxAttempts: 1, maxDeadLetters: 0 });
    queue.enqueue(1);
    await queue.idle();
    expect(queue.stats).toMatchObject({ dead: 0, deadDropped: 1 });
  });
});

describe("hostile thrown values", () => {
  it.each(hostileValues())("never loses a job whose handler throws %s", async (_label, value) => {
    const onError = vi.fn();
    const queue = new JobQueue<number>({
      handler: async () => {
        throw value;
      },
      maxAttempts: 2,
      backoff: () => 0,
      onError,
    });
    queue.attach((event) => {
      if (event.type === "dead") throw value; // an observer that fails with it too
    });
    queue.enqueue(1);

    const idle = queue.idle();
    await vi.advanceTimersByTimeAsync(10);
    await idle;

    expect(queue.deadLetters).toHaveLength(1);
    const [first, second] = queue.deadLetters[0]?.errors ?? [];
    expect(first).toBe(value);
    expect(second).toBe(value);
    expect(onError).toHaveBeenCalledOnce();
  });

  it("reports an event it could not publish instead of losing the job", async () => {
    const onError = vi.fn();
    const queue = new JobQueue<number>({ handler: (n) => n, onError });
    // Each "enqueued" event enqueues another job from the observer's synchronous part, until
    // the events subject refuses to nest deeper.
    queue.attach((event) => {
      if (event.type === "enqueued") queue.enqueue(event.payload + 1);
    });
    queue.enqueue(0);

    await queue.idle();

    expect(queue.stats.succeeded).toBe(33);
    const [error, event] = onError.mock.calls.find(
      ([e]) => (e as AggregateError).message === "an event could not be published to observers",
    ) as [AggregateError, JobEvent<number, number>];
    expect(error.errors[0]).toBeInstanceOf(RecursionLimitError);
    expect(event).toMatchObject({ type: "enqueued", payload: 32 });
  });
});
