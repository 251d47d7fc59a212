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

  it("never reuses an id, even after earlier jobs have finished", async () => {
    const queue = new JobQueue<string>({ handler: () => {}, maxAttempts: 3, initialDelay: 100 });
    const ids = [queue.enqueue("a"), queue.enqueue("b")];
    await queue.idle();

    ids.push(queue.enqueue("c"));
    await vi.advanceTimersByTimeAsync(0);
    ids.push(queue.enqueue("d"), queue.enqueue("e"));
    await queue.idle();

    expect(new Set(ids).size).toBe(5);
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

  it("gives the handler the same payload on every attempt", async () => {
    const payload = { to: "ada@example.com" };
    const seen: unknown[] = [];
    const queue = new JobQueue<{ to: string }>({
      handler: (p) => {
        seen.push(p);
        throw new Error("smtp down");
      },
      maxAttempts: 3,
      initialDelay: 100,
    });

    queue.enqueue(payload);
    await vi.advanceTimersByTimeAsync(300);

    expect(seen).toHaveLength(3);
    for (const p of seen) expect(p).toBe(payload);
  });

  it("counts a rejection with undefined, null or a non-Error as a failure", async () => {
    const reasons: unknown[] = [undefined, null, 0, "", "smtp down"];
    for (const reason of reasons) {
      let calls = 0;
      const queue = new JobQueue<string>({
        handler: () => {
          calls++;
          return Promise.reject(reason);
        },
        maxAttempts: 2,
        initialDelay: 100,
      });

      queue.enqueue("x");
      await vi.advanceTimersByTimeAsync(100);

      expect(calls).toBe(2);
      expect(queue.deadLetters).toHaveLength(1);
      expect(Object.is(queue.deadLetters[0]?.error, reason)).toBe(true);
    }
  });

  it("counts a handler that resolves with an Error object as a success", async () => {
    const handler = vi.fn(async () => new Error("a value, not a failure"));
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(1000);

    expect(handler).toHaveBeenCalledTimes(1);
    expect(queue.deadLetters).toEqual([]);
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

  it("keeps the last attempt's very error, not a copy or an earlier one", async () => {
    const errors = [new Error("first"), new Error("second"), new Error("third")];
    let attempt = 0;
    const queue = new JobQueue<string>({
      handler: () => {
        throw errors[attempt++];
      },
      maxAttempts: 3,
      initialDelay: 100,
    });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(300);

    expect(queue.deadLetters).toHaveLength(1);
    expect(queue.deadLetters[0]?.error).toBe(errors[2]);
  });

  it("with maxAttempts 1, receives a job after its first failure, without a retry", async () => {
    const { handler } = flaky(Number.POSITIVE_INFINITY);
    const queue = new JobQueue<string>({ handler, maxAttempts: 1, initialDelay: 100 });
    const events: JobEvent<string>[] = [];
    queue.attach((event) => {
      events.push(event);
    });

    const id = queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(10_000);

    expect(handler).toHaveBeenCalledTimes(1);
    expect(brief(events)).toEqual([`enqueued ${id}`, `started ${id} #1`, `dead ${id}`]);
    expect(queue.deadLetters).toEqual([
      { id, payload: "x", attempts: 1, error: new Error("attempt 1 failed") },
    ]);
  });

  it("keeps every dead job, each with its own id and payload", async () => {
    const { handler } = flaky(Number.POSITIVE_INFINITY);
    const queue = new JobQueue<string>({ handler, maxAttempts: 2, initialDelay: 100 });

    const first = queue.enqueue("first");
    const second = queue.enqueue("second");
    await vi.advanceTimersByTimeAsync(10_000);

    expect(queue.deadLetters.map((letter) => [letter.id, letter.payload])).toEqual([
      [first, "first"],
      [second, "second"],
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

  it("see each retry's own delay, doubling: 100, 200, 400 ms", async () => {
    const { handler } = flaky(Number.POSITIVE_INFINITY);
    const queue = new JobQueue<string>({ handler, maxAttempts: 4, initialDelay: 100 });
    const delays: number[] = [];
    queue.attach((event) => {
      if (event.type === "retrying") delays.push(event.delay);
    });

    queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(10_000);

    expect(delays).toEqual([100, 200, 400]);
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

describe("an observer that throws", () => {
  it("does not make a successful job run again or die", async () => {
    const handler = vi.fn();
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });
    queue.attach((event) => {
      if (event.type === "succeeded") throw new Error("dashboard down");
    });

    queue.enqueue("x");
    const idle = queue.idle().then(
      () => "resolved",
      () => "rejected",
    );
    await vi.advanceTimersByTimeAsync(10_000);

    expect(handler).toHaveBeenCalledTimes(1);
    expect(queue.deadLetters).toEqual([]);
    await expect(idle).resolves.toBe("resolved");
  });

  it("changes nothing for the job or for the other observers, whatever event it throws on", async () => {
    const { handler } = flaky(1);
    const queue = new JobQueue<string>({ handler, maxAttempts: 3, initialDelay: 100 });
    const thrower = vi.fn(() => {
      throw new Error("metrics down");
    });
    const events: JobEvent<string>[] = [];
    queue.attach(thrower);
    queue.attach((event) => {
      events.push(event);
    });

    const id = queue.enqueue("x");
    await vi.advanceTimersByTimeAsync(10_000);

    expect(brief(events)).toEqual([
      `enqueued ${id}`,
      `started ${id} #1`,
      `retrying ${id} #1`,
      `started ${id} #2`,
      `succeeded ${id} #2`,
    ]);
    expect(thrower).toHaveBeenCalledTimes(5);
    expect(handler).toHaveBeenCalledTimes(2);
    expect(queue.deadLetters).toEqual([]);
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

  it("waits for a job enqueued while it waits, by an observer too", async () => {
    const handler = vi.fn(async (payload: string) => {
      await new Promise((resolve) => setTimeout(resolve, payload === "follow-up" ? 500 : 100));
    });
    const queue = new JobQueue<string>({ handler, maxAttempts: 2, initialDelay: 100 });
    queue.attach((event) => {
      if (event.type === "succeeded" && event.id === first) queue.enqueue("follow-up");
    });
    const first = queue.enqueue("x");

    const idle = track(queue.idle());
    await vi.advanceTimersByTimeAsync(599);
    expect(idle.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(idle.settled).toBe(true);
    expect(handler.mock.calls.map(([payload]) => payload)).toEqual(["x", "follow-up"]);
  });

  it("resolves at once when no job is outstanding", async () => {
    const queue = new JobQueue<string>({ handler: () => {}, maxAttempts: 3, initialDelay: 100 });

    const idle = track(queue.idle());
    await vi.advanceTimersByTimeAsync(0);

    expect(idle.settled).toBe(true);
  });
});
