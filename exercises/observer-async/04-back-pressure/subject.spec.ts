import { setImmediate as realTick } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncSubject, ObserverError, QueueFullError } from "./subject";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

let onError: ReturnType<typeof vi.fn<(error: AggregateError, value: string) => void>>;
/** "value@ms" for every round an observer started, in order. */
let started: string[];
let t0: number;

/** A subject whose one observer takes 100 ms per value and records when it started. */
function subjectWith(concurrency: number, maxQueue: number) {
  const subject = new AsyncSubject<string>({ concurrency, maxQueue, onError });
  subject.attach(async (value) => {
    started.push(`${value}@${Date.now() - t0}`);
    await sleep(100);
  });
  return subject;
}

beforeEach(() => {
  vi.useFakeTimers();
  onError = vi.fn();
  started = [];
  t0 = Date.now();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("publish() with a concurrency limit", () => {
  it("runs at most `concurrency` rounds at once", () => {
    const subject = subjectWith(2, 10);

    for (const value of ["a", "b", "c", "d", "e"]) subject.publish(value);

    expect(started).toEqual(["a@0", "b@0"]);
  });

  it("starts waiting values in publish order as slots free up", async () => {
    const subject = subjectWith(2, 10);

    for (const value of ["a", "b", "c", "d", "e"]) subject.publish(value);
    await vi.advanceTimersByTimeAsync(300);

    expect(started).toEqual(["a@0", "b@0", "c@100", "d@100", "e@200"]);
  });

  it("frees the slot of a failed round and still reports the failure", async () => {
    const subject = new AsyncSubject<string>({ concurrency: 1, maxQueue: 10, onError });
    subject.attach(async (value) => {
      started.push(`${value}@${Date.now() - t0}`);
      await sleep(10);
      if (value === "a") throw new Error("a fails");
    });

    subject.publish("a");
    subject.publish("b");
    await vi.advanceTimersByTimeAsync(20);

    expect(started).toEqual(["a@0", "b@10"]);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[1]).toBe("a");
  });

  it("reports the failure of a round that waited in the queue, with its value", async () => {
    const subject = new AsyncSubject<string>({ concurrency: 1, maxQueue: 10, onError });
    const boom = new Error("b fails");
    subject.attach(async (value) => {
      await sleep(10);
      if (value === "b") throw boom;
    });

    subject.publish("a");
    subject.publish("b");
    subject.publish("c");
    await vi.advanceTimersByTimeAsync(30);

    expect(onError).toHaveBeenCalledTimes(1);
    const [error, value] = onError.mock.calls[0] ?? [];
    expect(value).toBe("b");
    expect(error).toBeInstanceOf(AggregateError);
    expect(error?.errors[0]).toBeInstanceOf(ObserverError);
    expect(error?.errors[0].cause).toBe(boom);
  });

  it("reports which observers failed, and how many out of how many", async () => {
    const subject = new AsyncSubject<string>({ concurrency: 1, maxQueue: 10, onError });
    async function sendSms() {
      throw new Error("gateway down");
    }
    const gone = vi.fn();
    subject.attach(sendSms);
    subject.attach(gone);
    subject.attach(() => {});
    subject.attach(
      [
        () => {
          throw "quota";
        },
      ][0] as () => never,
    );

    subject.detach(gone);
    subject.publish("x");
    await vi.advanceTimersByTimeAsync(0);

    expect(gone).not.toHaveBeenCalled();
    const [error] = onError.mock.calls[0] ?? [];
    expect(error?.message).toBe("2 of 3 observers failed");
    expect(error?.errors.map((e: ObserverError) => [e.name, e.message])).toEqual([
      ["ObserverError", "observer sendSms failed: gateway down"],
      ["ObserverError", "observer (anonymous) failed: quota"],
    ]);
  });

  it("queues a value an observer publishes while its own round holds the only slot", async () => {
    const subject = new AsyncSubject<string>({ concurrency: 1, maxQueue: 10, onError });
    let running = 0;
    let peak = 0;
    subject.attach(async (value) => {
      running++;
      peak = Math.max(peak, running);
      started.push(`${value}@${Date.now() - t0}`);
      if (value === "order") subject.publish("receipt");
      await sleep(100);
      running--;
    });

    subject.publish("order");
    expect([subject.running, subject.queued]).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(200);

    expect(started).toEqual(["order@0", "receipt@100"]);
    expect(peak).toBe(1);
    expect(onError).not.toHaveBeenCalled();
  });

  it("counts running and queued rounds", async () => {
    const subject = subjectWith(2, 10);
    expect([subject.running, subject.queued]).toEqual([0, 0]);

    for (const value of ["a", "b", "c"]) subject.publish(value);
    expect([subject.running, subject.queued]).toEqual([2, 1]);

    await vi.advanceTimersByTimeAsync(100);
    expect([subject.running, subject.queued]).toEqual([1, 0]);

    await vi.advanceTimersByTimeAsync(100);
    expect([subject.running, subject.queued]).toEqual([0, 0]);
  });
});

describe("a bounded queue", () => {
  it("throws a QueueFullError naming the limit when the queue is full", () => {
    const subject = subjectWith(1, 2);
    subject.publish("a"); // runs
    subject.publish("b"); // waits
    subject.publish("c"); // waits

    expect(() => subject.publish("d")).toThrow(QueueFullError);
    expect(() => subject.publish("d")).toThrow("the queue is full (2 waiting)");
    const error = (() => {
      try {
        subject.publish("d");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ name: "QueueFullError", limit: 2 });
  });

  it("does not keep or run a value it refused", async () => {
    const subject = subjectWith(1, 1);
    subject.publish("a");
    subject.publish("b");

    expect(() => subject.publish("refused")).toThrow(QueueFullError);
    expect(subject.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(300);

    expect(started).toEqual(["a@0", "b@100"]);
  });

  it("accepts values again once a waiting value has started", async () => {
    const subject = subjectWith(1, 1);
    subject.publish("a");
    subject.publish("b");
    expect(() => subject.publish("c")).toThrow(QueueFullError);

    await vi.advanceTimersByTimeAsync(100);
    subject.publish("c");
    await vi.advanceTimersByTimeAsync(200);

    expect(started).toEqual(["a@0", "b@100", "c@200"]);
  });

  it("refuses again when the queue fills up a second time", async () => {
    const subject = subjectWith(1, 1);
    subject.publish("a");
    subject.publish("b");
    expect(() => subject.publish("refused")).toThrow(QueueFullError);

    await vi.advanceTimersByTimeAsync(100);
    subject.publish("c");
    let second: unknown;
    try {
      subject.publish("refused again");
    } catch (error) {
      second = error;
    }
    await vi.advanceTimersByTimeAsync(300);

    expect(second).toBeInstanceOf(QueueFullError);
    expect(second).toMatchObject({ limit: 1 });
    expect(started).toEqual(["a@0", "b@100", "c@200"]);
  });

  it("with maxQueue 0, refuses any value that cannot start at once", () => {
    const subject = subjectWith(1, 0);

    subject.publish("a");

    expect(() => subject.publish("b")).toThrow("the queue is full (0 waiting)");
  });
});

describe("an onError that throws", () => {
  let escaped: unknown[];
  const listener = (reason: unknown) => escaped.push(reason);

  beforeEach(() => {
    escaped = [];
    process.on("unhandledRejection", listener);
  });

  afterEach(() => {
    process.off("unhandledRejection", listener);
  });

  it("escapes nowhere: the slot is freed, the next value runs and idle() resolves", async () => {
    const subject = new AsyncSubject<string>({
      concurrency: 1,
      maxQueue: 10,
      onError: () => {
        throw new Error("the logger is down too");
      },
    });
    subject.attach(async (value) => {
      started.push(`${value}@${Date.now() - t0}`);
      await sleep(10);
      throw new Error(`${value} fails`);
    });

    subject.publish("a");
    subject.publish("b");
    const idle = subject.idle().then(
      () => "resolved",
      () => "rejected",
    );
    await vi.advanceTimersByTimeAsync(20);
    await realTick();

    expect(started).toEqual(["a@0", "b@10"]);
    await expect(idle).resolves.toBe("resolved");
    expect(escaped).toEqual([]);
  });
});

describe("idle()", () => {
  it("waits for waiting values as well as running rounds", async () => {
    const subject = subjectWith(1, 10);
    subject.publish("a");
    subject.publish("b");

    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(100);
    expect(idle.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(100);
    expect(idle.settled).toBe(true);
  });

  it("resolves at once when nothing is outstanding", async () => {
    const subject = subjectWith(1, 10);

    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(0);

    expect(idle.settled).toBe(true);
  });
});
