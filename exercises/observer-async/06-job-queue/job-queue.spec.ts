import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type JobEvent, JobQueue } from "./job-queue";

/** Watches a promise without awaiting it: has it settled yet? */
function track(promise: Promise<unknown>) {
  const state = { settled: false };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

/** A handler that fails its first `failures` attempts and records when each attempt started. */
function flaky(failures: number) {
  const attempts: number[] = [];
  const t0 = Date.now();
  const handler = vi.fn(async (_payload: string) => {
    attempts.push(Date.now() - t0);
    if (attempts.length <= failures) throw new Error(`attempt ${attempts.length} failed`);
  });
  return { handler, attempts };
}

/** "type id #attempt" for each event, to compare sequences at a glance. */
const brief = (events: readonly JobEvent<string>[]) =>
  events.map((e) => `${e.type} ${e.id}${"attempt" in e ? ` #${e.attempt}` : ""}`);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("enqueue()", () => {
  it("returns a new id for every job, even within the same millisecond", () => {
    const queue = new JobQueue<string>({ handler: () => {}, maxAttempts: 3, initialDelay: 100 });

    const ids = [queue.enqueue("a"), queue.enqueue("b"), queue.enqueue("c")];

    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(typeof id).toBe("string");
  });

  it("returns before the handler runs; the handler then gets the payload", async () => {
    const handler = vi.fn();
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });

    queue.enqueue("welcome email");
    expect(handler).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(0);
    expect(handler).toHaveBeenCalledWith("welcome email");
  });
});

describe("retries with exponential backoff", () => {
  it("retries a failed job after initialDelay, then after twice that", async () => {
    const { handler, attempts } = flaky(2);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(300);

    expect(attempts).toEqual([0, 100, 300]);
  });

  it("keeps doubling the delay: 100, 200, 400, 800 ms", async () => {
    const { handler, attempts } = flaky(4);
    const queue = new JobQueue<string>({ handler, maxAttempts: 5, initialDelay: 100 });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(1500);

    expect(attempts).toEqual([0, 100, 300, 700, 1500]);
  });

  it("does not retry before the delay is up", async () => {
    const { handler, attempts } = flaky(1);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(99);

    expect(attempts).toEqual([0]);
  });

  it("retries a handler that throws synchronously like one that rejects", async () => {
    let calls = 0;
    const queue = new JobQueue<string>({
      handler: () => {
        calls++;
        if (calls === 1) throw new Error("synchronous");
      },
      maxAttempts: 3,
      initialDelay: 100,
    });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(100);

    expect(calls).toBe(2);
    expect(queue.deadLetters).toEqual([]);
  });

  it("stops retrying once an attempt succeeds", async () => {
    const { handler, attempts } = flaky(1);
    const queue = new JobQueue<string>({ handler, maxAttempts: 5, initialDelay: 100 });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(5000);

    expect(attempts).toEqual([0, 100]);
  });

  it("does not hold other jobs up while one waits for its retry", async () => {
    const done: string[] = [];
    const t0 = Date.now();
    const queue = new JobQueue<string>({
      handler: (name) => {
        if (name === "bad") throw new Error("no");
        done.push(`${name}@${Date.now() - t0}`);
      },
      maxAttempts: 2,
      initialDelay: 1000,
    });

    queue.enqueue("bad");
    queue.enqueue("good");
    await vi.advanceTimersByTimeAsync(0);

    expect(done).toEqual(["good@0"]);
  });
});

describe("the dead-letter list", () => {
  it("receives a job that failed maxAttempts times, with its payload and last error", async () => {
    const { handler } = flaky(Number.POSITIVE_INFINITY);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });

    const id = queue.enqueue("doomed");
    await vi.advanceTimersByTimeAsync(10_000);

    expect(handler).toHaveBeenCalledTimes(3);
    expect(queue.deadLetters).toEqual([
      { id, payload: "doomed", attempts: 3, error: new Error("attempt 3 failed") },
    ]);
  });

  it("never receives a job that succeeded on a retry", async () => {
    const { handler } = flaky(2);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(10_000);

    expect(queue.deadLetters).toEqual([]);
  });
});

describe("observers: the job events", () => {
  it("see enqueued, started, retrying and succeeded, in order", async () => {
    const { handler } = flaky(1);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });
    const events: JobEvent<string>[] = [];
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
    expect(events[0]).toEqual({ type: "enqueued", id, payload: "x" });
    expect(events[2]).toEqual({
      type: "retrying",
      id,
      attempt: 1,
      error: new Error("attempt 1 failed"),
      delay: 100,
    });
  });

  it("see a dead event when a job runs out of attempts", async () => {
    const { handler } = flaky(Number.POSITIVE_INFINITY);
    const queue = new JobQueue<string>({ handler, maxAttempts: 2, initialDelay: 100 });
    const events: JobEvent<string>[] = [];
    queue.attach((event) => {
      events.push(event);
    });

    const id = queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(10_000);

    expect(events.at(-1)).toEqual({
      type: "dead",
      id,
      attempts: 2,
      error: new Error("attempt 2 failed"),
    });
  });
});

describe("idle()", () => {
  it("resolves only when every job has succeeded or died, retries included", async () => {
    const { handler } = flaky(2);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });
    queue.enqueue("x");

    const idle = track(queue.idle());
    await vi.advanceTimersByTimeAsync(299);
    expect(idle.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(idle.settled).toBe(true);
  });

  it("resolves at once when no job is outstanding", async () => {
    const queue = new JobQueue<string>({ handler: () => {}, maxAttempts: 3, initialDelay: 100 });

    const idle = track(queue.idle());
    await vi.advanceTimersByTimeAsync(0);

    expect(idle.settled).toBe(true);
  });
});
