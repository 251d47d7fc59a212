import { getEventListeners } from "node:events";
import { setImmediate as realTick } from "node:timers/promises";
import { format } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hostileValues, thrownBy } from "../../kata/spec-helpers";
import { AsyncSubject } from "./async-subject";
import {
  ClosedError,
  DroppedError,
  ObserverError,
  QueueFullError,
  RecursionLimitError,
  TimeoutError,
} from "./errors";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Watches a promise without awaiting it (and without leaving a rejection unhandled). */
function track<T>(promise: Promise<T>) {
  const state = {
    settled: false,
    rejected: false,
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.rejected = true;
      state.error = error;
    },
  );
  return state;
}

/** Runs `act` and returns every rejection that went unhandled meanwhile. */
async function unhandledDuring(act: () => Promise<void>): Promise<unknown[]> {
  const escaped: unknown[] = [];
  const listener = (reason: unknown) => escaped.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await act();
    await realTick(); // Node reports unhandled rejections after the current macrotask
    await realTick();
  } finally {
    process.off("unhandledRejection", listener);
  }
  return escaped;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("notify(): observers run concurrently", () => {
  it("finishes ten one-second observers in one second, not ten", async () => {
    const subject = new AsyncSubject<number>();
    const done: number[] = [];
    for (let i = 0; i < 10; i++) {
      subject.attach(async () => {
        await sleep(1000);
        done.push(i);
      });
    }
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toHaveLength(10);
    expect(round).toMatchObject({ settled: true, rejected: false });
  });

  it("does not settle before its slowest observer", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => sleep(100));
    subject.attach(() => sleep(500));
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(499);
    expect(round.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(round.settled).toBe(true);
  });

  it("calls every observer before notify() returns, with the value", () => {
    const subject = new AsyncSubject<string>();
    const seen: string[] = [];
    subject.attach((value) => seen.push(`a:${value}`));
    subject.attach(async (value) => {
      seen.push(`b:${value}`);
      await sleep(10);
    });
    void subject.notify("x");
    expect(seen).toEqual(["a:x", "b:x"]);
  });

  it("accepts objects with an update() method", async () => {
    const subject = new AsyncSubject<number>();
    const received: number[] = [];
    subject.attach({
      async update(value: number) {
        await sleep(5);
        received.push(value);
      },
    });
    const round = track(subject.notify(7));
    await vi.advanceTimersByTimeAsync(5);
    expect(received).toEqual([7]);
    expect(round.settled).toBe(true);
  });

  it("resolves to undefined, at once, with no observer or only synchronous ones", async () => {
    const subject = new AsyncSubject<number>();
    await expect(subject.notify(1)).resolves.toBeUndefined();
    subject.attach(() => 42);
    await expect(subject.notify(1)).resolves.toBeUndefined();
  });

  it("counts only thenables as asynchronous: null, plain objects and functions are results", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => null);
    // biome-ignore lint/suspicious/noThenProperty: a `then` that is no method is the point here
    subject.attach(() => ({ then: "not a function" }));
    subject.attach(() => () => undefined);

    const round = subject.notify(1);

    expect(subject.stats.running).toBe(0);
    await expect(round).resolves.toBeUndefined();
  });

  it("awaits a function with a then() method, a thenable as Promises/A+ defines it", async () => {
    const subject = new AsyncSubject<number>();
    const thenable = Object.assign(() => undefined, {
      // biome-ignore lint/suspicious/noThenProperty: a thenable function is the point here
      then: (resolve: () => void) => setTimeout(resolve, 100),
    });
    subject.attach(() => thenable);

    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(99);
    expect(round.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(round).toMatchObject({ settled: true, rejected: false });
  });

  it("passes no signal when the round cannot be cancelled", async () => {
    const subject = new AsyncSubject<number>();
    const signals: unknown[] = [];
    subject.attach((_value, signal) => signals.push(signal));
    await subject.notify(1);
    expect(signals).toEqual([undefined]);
  });

  it("awaits thenables that are not native promises", async () => {
    const subject = new AsyncSubject<number>();
    let finished = false;
    subject.attach(() => ({
      // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the point here
      then(resolve: () => void) {
        setTimeout(() => {
          finished = true;
          resolve();
        }, 50);
      },
    }));
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(50);
    expect(finished).toBe(true);
    expect(round.settled).toBe(true);
  });
});

describe("notify(): thenables that misbehave", () => {
  it("reports a thenable whose then() throws as that observer's failure", async () => {
    const subject = new AsyncSubject<number>();
    const broken = () => ({
      // biome-ignore lint/suspicious/noThenProperty: a broken thenable is the point here
      then() {
        throw new Error("then() exploded");
      },
    });
    subject.attach(broken);
    subject.attach(() => sleep(10));
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(10);
    const [failure] = (round.error as AggregateError).errors as ObserverError[];
    expect(failure?.observer).toBe(broken);
    expect(failure?.cause).toMatchObject({ message: "then() exploded" });
  });

  it("counts a thenable that calls back twice only once", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => ({
      // biome-ignore lint/suspicious/noThenProperty: a misbehaving thenable is the point here
      then(resolve: () => void, reject: (e: unknown) => void) {
        resolve();
        resolve();
        reject(new Error("too late"));
      },
    }));
    subject.attach(() => sleep(100));
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(99);
    expect(round.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(round).toMatchObject({ settled: true, rejected: false });
  });
});

describe("notify(): failures are aggregated", () => {
  it("rejects with an AggregateError of ObserverErrors that keep the cause and the observer", async () => {
    const subject = new AsyncSubject<number>();
    const boom = new Error("smtp down");
    async function sendEmail() {
      await sleep(10);
      throw boom;
    }
    subject.attach(sendEmail);
    subject.attach(() => undefined);
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(10);
    expect(round.error).toBeInstanceOf(AggregateError);
    const [failure] = (round.error as AggregateError).errors as ObserverError[];
    expect(failure).toBeInstanceOf(ObserverError);
    expect(failure?.name).toBe("ObserverError");
    expect(failure?.cause).toBe(boom);
    expect(failure?.observer).toBe(sendEmail);
    expect(failure?.message).toBe('observer "sendEmail" failed: smtp down');
    expect((round.error as AggregateError).message).toBe("1 of 2 observers failed");
  });

  it("reports every failure in attach order, not completion order", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(async () => {
      await sleep(300);
      throw new Error("first attached, last to fail");
    });
    subject.attach(() => {
      throw new Error("second, synchronous");
    });
    subject.attach(async () => {
      await sleep(100);
      throw new Error("third");
    });
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(300);
    const causes = (round.error as AggregateError).errors.map(
      (e: ObserverError) => (e.cause as Error).message,
    );
    expect(causes).toEqual(["first attached, last to fail", "second, synchronous", "third"]);
  });

  it("waits for every observer before rejecting (unlike Promise.all)", async () => {
    const subject = new AsyncSubject<number>();
    let slowDone = false;
    subject.attach(async () => {
      await sleep(10);
      throw new Error("fast failure");
    });
    subject.attach(async () => {
      await sleep(1000);
      slowDone = true;
    });
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(10);
    expect(round.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(990);
    expect(slowDone).toBe(true);
    expect(round.rejected).toBe(true);
  });

  it("keeps notifying after a synchronous throw, and never throws synchronously itself", async () => {
    const subject = new AsyncSubject<number>();
    const later = vi.fn();
    subject.attach(() => {
      throw new Error("sync");
    });
    subject.attach(later);
    let promise: Promise<void> | undefined;
    expect(() => {
      promise = subject.notify(1);
    }).not.toThrow();
    expect(later).toHaveBeenCalledWith(1, undefined);
    await expect(promise).rejects.toBeInstanceOf(AggregateError);
  });

  it("reports a synchronous failure even when the other observers are asynchronous and succeed", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => {
      throw new Error("sync");
    });
    subject.attach(() => sleep(10));

    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(10);

    expect(round.error).toBeInstanceOf(AggregateError);
    expect((round.error as AggregateError).message).toBe("1 of 2 observers failed");
  });

  it("wraps non-Error throws too", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => Promise.reject("plain string"));
    const error = await subject.notify(1).catch((e: unknown) => e);
    const [failure] = (error as AggregateError).errors as ObserverError[];
    expect(failure?.cause).toBe("plain string");
    expect(failure?.message).toBe("observer (anonymous) failed: plain string");
  });
});

describe("attach() and detach()", () => {
  it("notifies an observer attached twice only once per round", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);
    subject.attach(observer);
    await subject.notify(1);
    expect(observer).toHaveBeenCalledTimes(1);
    expect(subject.size).toBe(1);
  });

  it("returns a function that detaches the observer", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    const detach = subject.attach(observer);
    detach();
    await subject.notify(1);
    expect(observer).not.toHaveBeenCalled();
    expect(subject.size).toBe(0);
  });

  it("tells whether detach() removed anything", () => {
    const subject = new AsyncSubject<number>();
    const observer = () => undefined;
    subject.attach(observer);
    expect(subject.detach(observer)).toBe(true);
    expect(subject.detach(observer)).toBe(false);
  });

  it("skips an observer detached by an earlier observer of the same round", async () => {
    const subject = new AsyncSubject<number>();
    const second = vi.fn();
    subject.attach(() => {
      subject.detach(second);
    });
    subject.attach(second);
    await subject.notify(1);
    expect(second).not.toHaveBeenCalled();
  });

  it("notifies an observer attached during a round from the next round on", async () => {
    const subject = new AsyncSubject<number>();
    const newcomer = vi.fn();
    subject.attach(() => {
      subject.attach(newcomer);
    });
    await subject.notify(1);
    expect(newcomer).not.toHaveBeenCalled();
    await subject.notify(2);
    expect(newcomer).toHaveBeenCalledWith(2, undefined);
  });

  it("rejects something that is not an observer with a TypeError naming the argument", () => {
    const subject = new AsyncSubject<number>();
    expect(() => subject.attach({} as never)).toThrow(
      new TypeError("`observer` must be a function or have an update() method, got an object"),
    );
    expect(() => subject.attach(null as never)).toThrow(
      new TypeError("`observer` must be a function or have an update() method, got null"),
    );
  });
});

describe("serial mode", () => {
  it("runs observers one at a time, in attach order", async () => {
    const subject = new AsyncSubject<number>({ mode: "serial" });
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) {
      subject.attach(async () => {
        log.push(`${name} starts at ${Date.now()}`);
        await sleep(100);
      });
    }
    const start = Date.now();
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(299);
    expect(round.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(round.settled).toBe(true);
    expect(log).toEqual([
      `a starts at ${start}`,
      `b starts at ${start + 100}`,
      `c starts at ${start + 200}`,
    ]);
  });

  it("goes on after a failure and reports it with the others", async () => {
    const subject = new AsyncSubject<number>({ mode: "serial" });
    const last = vi.fn();
    subject.attach(async () => {
      throw new Error("first");
    });
    subject.attach(() => {
      throw new Error("second");
    });
    subject.attach(last);
    const error = (await subject.notify(1).catch((e: unknown) => e)) as AggregateError;
    expect(last).toHaveBeenCalled();
    expect(error.errors).toHaveLength(2);
    expect(error.errors.map((e: ObserverError) => (e.cause as Error).message)).toEqual([
      "first",
      "second",
    ]);
    expect(error.message).toBe("2 of 3 observers failed");
  });

  it("skips an observer detached by an earlier observer of the same round", async () => {
    const subject = new AsyncSubject<number>({ mode: "serial" });
    const second = vi.fn();
    subject.attach(async () => {
      subject.detach(second);
    });
    subject.attach(second);

    await subject.notify(1);

    expect(second).not.toHaveBeenCalled();
  });

  it("counts its round in stats.running until the last observer is done", async () => {
    const subject = new AsyncSubject<number>({ mode: "serial" });
    subject.attach(() => sleep(100));

    const round = subject.notify(1);
    expect(subject.stats.running).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await round;

    expect(subject.stats.running).toBe(0);
  });

  it("starts no further observer once the round is cancelled", async () => {
    const subject = new AsyncSubject<number>({ mode: "serial" });
    const second = vi.fn();
    subject.attach(() => sleep(100));
    subject.attach(second);
    const controller = new AbortController();
    const round = track(subject.notify(1, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(50);
    controller.abort();
    await vi.advanceTimersByTimeAsync(100);
    expect(second).not.toHaveBeenCalled();
    expect((round.error as Error).name).toBe("AbortError");
  });
});

describe("publish(): fire-and-forget with an error channel", () => {
  it("returns undefined at once while asynchronous observers keep running", async () => {
    const subject = new AsyncSubject<number>({ onError: vi.fn() });
    let done = false;
    subject.attach(async () => {
      await sleep(100);
      done = true;
    });
    expect(subject.publish(1)).toBeUndefined();
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toBe(true);
  });

  it("sends each failed round to onError with its value", async () => {
    const onError = vi.fn();
    const subject = new AsyncSubject<number>({ onError });
    subject.attach(async (n) => {
      await sleep(10);
      throw new Error(`failed ${n}`);
    });
    subject.publish(1);
    subject.publish(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(onError).toHaveBeenCalledTimes(2);
    const [error, value] = onError.mock.calls[0] as [AggregateError, number];
    expect(error).toBeInstanceOf(AggregateError);
    expect(((error.errors[0] as ObserverError).cause as Error).message).toBe("failed 1");
    expect(value).toBe(1);
  });

  it("leaves a failed notify() round to its caller: onError is for published rounds", async () => {
    const onError = vi.fn();
    const subject = new AsyncSubject<number>({ onError });
    subject.attach(() => Promise.reject(new Error("boom")));

    await expect(subject.notify(1)).rejects.toBeInstanceOf(AggregateError);

    expect(onError).not.toHaveBeenCalled();
  });

  it("reports synchronous failures too", () => {
    const onError = vi.fn();
    const subject = new AsyncSubject<number>({ onError });
    subject.attach(() => {
      throw new Error("sync");
    });
    subject.publish(1);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("never lets a failure become an unhandled rejection", async () => {
    const subject = new AsyncSubject<number>({ onError: () => undefined });
    subject.attach(async () => {
      await sleep(10);
      throw new Error("boom");
    });
    const escaped = await unhandledDuring(async () => {
      subject.publish(1);
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(escaped).toEqual([]);
  });

  it("logs failures with console.error when no onError is given", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const subject = new AsyncSubject<number>();
    subject.attach(() => Promise.reject(new Error("nobody listens")));
    subject.publish(1);
    await subject.idle();
    expect(log).toHaveBeenCalledWith(
      "AsyncSubject: a published round failed:",
      expect.any(AggregateError),
    );
  });

  it("logs an onError that throws instead of letting it escape", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const subject = new AsyncSubject<number>({
      onError: () => {
        throw new Error("broken error channel");
      },
    });
    subject.attach(() => Promise.reject(new Error("boom")));
    const escaped = await unhandledDuring(async () => {
      subject.publish(1);
      await subject.idle();
    });
    expect(escaped).toEqual([]);
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining("onError threw"),
      expect.objectContaining({ message: "broken error channel" }),
      expect.any(AggregateError),
    );
  });
});

describe("idle()", () => {
  it("resolves at once when nothing is outstanding", async () => {
    const subject = new AsyncSubject<number>();
    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.settled).toBe(true);
  });

  it("waits for every outstanding round, not only the last", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach((ms) => sleep(ms));
    subject.publish(500);
    subject.publish(100);
    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(100);
    expect(idle.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(400);
    expect(idle.settled).toBe(true);
  });

  it("can be waited for again once it has resolved", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => sleep(10));
    for (let round = 1; round <= 2; round++) {
      subject.publish(round);
      const idle = track(subject.idle());
      await vi.advanceTimersByTimeAsync(10);
      expect(idle.settled).toBe(true);
    }
  });

  it.each([
    ["queued", { concurrency: 1 }],
    ["waiting", { concurrency: 1, maxQueue: 0, overflow: "wait" }],
  ] as const)(
    "called by a quick round that was %s, still waits for the rounds behind it",
    async (_where, options) => {
      const subject = new AsyncSubject<number>(options);
      let idle: ReturnType<typeof track> | undefined;
      subject.attach((n) => {
        if (n === 2) idle = track(subject.idle());
        return n === 2 ? undefined : sleep(100);
      });
      subject.publish(1);
      void subject.notify(2);
      void subject.notify(3);

      await vi.advanceTimersByTimeAsync(100);
      expect(idle?.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(100);

      expect(idle?.settled).toBe(true);
    },
  );

  it("resolves only after onError has seen the failures", async () => {
    const onError = vi.fn();
    const subject = new AsyncSubject<number>({ onError });
    subject.attach(async () => {
      await sleep(10);
      throw new Error("late");
    });
    subject.publish(1);
    const idle = subject.idle().then(() => onError.mock.calls.length);
    await vi.advanceTimersByTimeAsync(10);
    await expect(idle).resolves.toBe(1);
  });
});

describe("per-observer timeout", () => {
  it("fails a slow observer with a TimeoutError and does not wait for it", async () => {
    const subject = new AsyncSubject<number>({ timeout: 100 });
    async function slowAudit() {
      await sleep(10_000);
    }
    subject.attach(slowAudit);
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(100);
    expect(round.rejected).toBe(true);
    const [failure] = (round.error as AggregateError).errors as ObserverError[];
    const cause = failure?.cause as TimeoutError;
    expect(cause).toBeInstanceOf(TimeoutError);
    expect(cause.ms).toBe(100);
    expect(cause.message).toBe('observer "slowAudit" timed out after 100 ms');
  });

  it("aborts the slow observer's signal with the TimeoutError as its reason", async () => {
    const subject = new AsyncSubject<number>({ timeout: 100 });
    let seen: AbortSignal | undefined;
    subject.attach((_value, signal) => {
      seen = signal;
      return sleep(1000);
    });
    void subject.notify(1).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
  });

  it("reports an observer that throws or rejects in time, and clears its timer", async () => {
    const subject = new AsyncSubject<number>({ timeout: 100 });
    subject.attach(() => {
      throw new Error("sync");
    });
    subject.attach(async () => {
      await sleep(10);
      throw new Error("async");
    });

    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(10);

    const errors = (round.error as AggregateError).errors as ObserverError[];
    expect(errors.map((e) => (e.cause as Error).message)).toEqual(["sync", "async"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leaves fast observers alone and clears their timers", async () => {
    const subject = new AsyncSubject<number>({ timeout: 100 });
    subject.attach(() => sleep(50));
    subject.attach(() => "synchronous");
    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(50);
    expect(round).toMatchObject({ settled: true, rejected: false });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("cancellation with an AbortSignal", () => {
  it("rejects at once with the signal's reason, an AbortError by default", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => sleep(1000));
    const controller = new AbortController();
    const round = track(subject.notify(1, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(round.rejected).toBe(true);
    expect((round.error as Error).name).toBe("AbortError");
  });

  it("rejects with a custom reason", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => sleep(1000));
    const controller = new AbortController();
    const promise = subject.notify(1, { signal: controller.signal });
    const reason = new Error("user left the page");
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
  });

  it("rejects with the round's AggregateError when a cancellable round fails", async () => {
    const subject = new AsyncSubject<number>();
    subject.attach(() => Promise.reject(new Error("boom")));

    const round = subject.notify(1, { signal: new AbortController().signal });

    await expect(round).rejects.toBeInstanceOf(AggregateError);
  });

  it("calls no observer when the signal is already aborted", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);
    await expect(subject.notify(1, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(observer).not.toHaveBeenCalled();
  });

  it("lets observers see the abort through their signal, also under a timeout", async () => {
    const subject = new AsyncSubject<number>({ timeout: 10_000 });
    const seen: AbortSignal[] = [];
    subject.attach((_value, signal) => {
      if (signal) seen.push(signal);
      return sleep(1000);
    });
    const controller = new AbortController();
    void subject.notify(1, { signal: controller.signal }).catch(() => undefined);
    controller.abort();
    expect(seen[0]?.aborted).toBe(true);
  });

  it("removes its abort listener when the round ends, so a long-lived signal does not leak", async () => {
    const subject = new AsyncSubject<number>({ timeout: 1000 });
    subject.attach(() => sleep(10));
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) {
      const round = subject.notify(i, { signal: controller.signal });
      await vi.advanceTimersByTimeAsync(10);
      await round;
    }
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("back-pressure: concurrency and a bounded queue", () => {
  it("runs at most `concurrency` rounds at once and starts queued ones in order", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 2 });
    const starts: string[] = [];
    subject.attach(async (n) => {
      starts.push(`${n}@${Date.now()}`);
      await sleep(100);
    });
    const t = Date.now();
    for (let n = 1; n <= 5; n++) subject.publish(n);
    expect(subject.stats).toMatchObject({ running: 2, queued: 3 });
    await vi.advanceTimersByTimeAsync(300);
    expect(starts).toEqual([`1@${t}`, `2@${t}`, `3@${t + 100}`, `4@${t + 100}`, `5@${t + 200}`]);
    expect(subject.stats).toMatchObject({ running: 0, queued: 0 });
  });

  it('throws a QueueFullError from publish() when the queue is full ("reject")', () => {
    const subject = new AsyncSubject<number>({ concurrency: 1, maxQueue: 2 });
    subject.attach(() => sleep(100));
    subject.publish(1);
    subject.publish(2);
    subject.publish(3);
    expect(() => subject.publish(4)).toThrow(QueueFullError);
    expect(() => subject.publish(4)).toThrow(/^the queue is full \(2 waiting\)$/);
    expect(subject.stats.queued).toBe(2);
  });

  it('rejects notify() with a QueueFullError when the queue is full ("reject")', async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1, maxQueue: 0 });
    subject.attach(() => sleep(100));
    subject.publish(1);
    await expect(subject.notify(2)).rejects.toMatchObject({ name: "QueueFullError", limit: 0 });
  });

  it('drops the oldest waiting round, counts it and tells onDrop ("drop-oldest")', async () => {
    const onDrop = vi.fn();
    const subject = new AsyncSubject<number>({
      concurrency: 1,
      maxQueue: 2,
      overflow: "drop-oldest",
      onDrop,
    });
    const seen: number[] = [];
    subject.attach(async (n) => {
      seen.push(n);
      await sleep(100);
    });
    for (let n = 1; n <= 5; n++) subject.publish(n);
    expect(onDrop.mock.calls).toEqual([[2], [3]]);
    expect(subject.stats.dropped).toBe(2);
    await vi.advanceTimersByTimeAsync(300);
    expect(seen).toEqual([1, 4, 5]);
  });

  it('drops the oldest waiting round to make room for a notify() ("drop-oldest")', async () => {
    const onDrop = vi.fn();
    const subject = new AsyncSubject<number>({
      concurrency: 1,
      maxQueue: 1,
      overflow: "drop-oldest",
      onDrop,
    });
    const seen: number[] = [];
    subject.attach(async (n) => {
      seen.push(n);
      await sleep(100);
    });
    subject.publish(1);
    subject.publish(2);

    const round = track(subject.notify(3));
    await vi.advanceTimersByTimeAsync(200);

    expect(onDrop.mock.calls).toEqual([[2]]);
    expect(seen).toEqual([1, 3]);
    expect(round).toMatchObject({ settled: true, rejected: false });
  });

  it('refuses with a QueueFullError when "drop-oldest" has no queue to drop from', async () => {
    const subject = new AsyncSubject<number>({
      concurrency: 1,
      maxQueue: 0,
      overflow: "drop-oldest",
    });
    subject.attach(() => sleep(100));
    subject.publish(1);

    expect(() => subject.publish(2)).toThrow(QueueFullError);
    await expect(subject.notify(3)).rejects.toBeInstanceOf(QueueFullError);
  });

  it("logs nothing for a drop when there is no onDrop to tell", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const subject = new AsyncSubject<number>({
      concurrency: 1,
      maxQueue: 1,
      overflow: "drop-oldest",
    });
    subject.attach(() => sleep(100));

    for (let n = 1; n <= 3; n++) subject.publish(n);

    expect(subject.stats.dropped).toBe(1);
    expect(log).not.toHaveBeenCalled();
  });

  it("logs an onDrop that throws instead of letting it escape", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = new Error("broken drop handler");
    const subject = new AsyncSubject<number>({
      concurrency: 1,
      maxQueue: 1,
      overflow: "drop-oldest",
      onDrop: () => {
        throw broken;
      },
    });
    subject.attach(() => sleep(100));

    for (let n = 1; n <= 3; n++) subject.publish(n);

    expect(log).toHaveBeenCalledWith("AsyncSubject: onDrop threw", broken);
  });

  it("rejects a dropped notify() with a DroppedError", async () => {
    const subject = new AsyncSubject<number>({
      concurrency: 1,
      maxQueue: 1,
      overflow: "drop-oldest",
    });
    subject.attach(() => sleep(100));
    subject.publish(1);
    const dropped = track(subject.notify(2));
    subject.publish(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(dropped.error).toBeInstanceOf(DroppedError);
    await vi.advanceTimersByTimeAsync(200);
  });

  it('makes notify() wait for room, and publish() throw ("wait")', async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1, maxQueue: 1, overflow: "wait" });
    const seen: number[] = [];
    subject.attach(async (n) => {
      seen.push(n);
      await sleep(100);
    });
    subject.publish(1);
    subject.publish(2);
    const waiting = track(subject.notify(3));
    expect(subject.stats).toMatchObject({ running: 1, queued: 1, waiting: 1 });
    expect(() => subject.publish(4)).toThrow("publish() cannot wait; await notify() instead");
    await vi.advanceTimersByTimeAsync(300);
    expect(seen).toEqual([1, 2, 3]);
    expect(waiting).toMatchObject({ settled: true, rejected: false });
  });

  it('moves waiting notify() callers into the queue as it empties, one per free place ("wait")', async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1, maxQueue: 1, overflow: "wait" });
    subject.attach(() => sleep(100));
    subject.publish(1);
    subject.publish(2);
    void subject.notify(3);
    void subject.notify(4);
    expect(subject.stats).toMatchObject({ running: 1, queued: 1, waiting: 2 });

    await vi.advanceTimersByTimeAsync(100);

    expect(subject.stats).toMatchObject({ running: 1, queued: 1, waiting: 1 });
    await vi.advanceTimersByTimeAsync(300);
  });

  it("takes an aborted waiting notify() out of the waiting line and leaves the queue alone", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1, maxQueue: 1, overflow: "wait" });
    subject.attach(() => sleep(100));
    subject.publish(1);
    subject.publish(2);
    const controller = new AbortController();
    const waiting = track(subject.notify(3, { signal: controller.signal }));

    controller.abort();
    await vi.advanceTimersByTimeAsync(0);

    expect(subject.stats).toMatchObject({ running: 1, queued: 1, waiting: 0 });
    expect((waiting.error as Error).name).toBe("AbortError");
    await vi.advanceTimersByTimeAsync(200);
  });

  it('starts a waiting notify() as soon as a slot frees when maxQueue is 0 ("wait")', async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1, maxQueue: 0, overflow: "wait" });
    const seen: number[] = [];
    subject.attach(async (n) => {
      seen.push(n);
      await sleep(100);
    });
    subject.publish(1);
    const waiting = track(subject.notify(2));
    expect(subject.stats).toMatchObject({ running: 1, queued: 0, waiting: 1 });
    await vi.advanceTimersByTimeAsync(200);
    expect(seen).toEqual([1, 2]);
    expect(waiting).toMatchObject({ settled: true, rejected: false });
  });

  it("takes a queued notify() out of the queue when its signal aborts", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1 });
    const seen: number[] = [];
    subject.attach(async (n) => {
      seen.push(n);
      await sleep(100);
    });
    subject.publish(1);
    const controller = new AbortController();
    const queued = track(subject.notify(2, { signal: controller.signal }));
    expect(subject.stats.queued).toBe(1);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(subject.stats.queued).toBe(0);
    expect((queued.error as Error).name).toBe("AbortError");
    await vi.advanceTimersByTimeAsync(200);
    expect(seen).toEqual([1]);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("lets go of a queued notify()'s abort listener once its round has run", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1 });
    subject.attach(() => sleep(100));
    subject.publish(1);
    const controller = new AbortController();
    const queued = subject.notify(2, { signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(200);
    await queued;

    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("reports a queued published round's failure to onError, never as an unhandled rejection", async () => {
    const onError = vi.fn();
    const subject = new AsyncSubject<number>({ concurrency: 1, onError });
    subject.attach(async (n) => {
      await sleep(10);
      if (n === 2) throw new Error("second fails");
    });

    const escaped = await unhandledDuring(async () => {
      subject.publish(1);
      subject.publish(2);
      await vi.advanceTimersByTimeAsync(20);
    });

    expect(escaped).toEqual([]);
    expect(onError).toHaveBeenCalledExactlyOnceWith(expect.any(AggregateError), 2);
  });

  it("leaves a queued notify()'s failure to its caller, not to onError", async () => {
    const onError = vi.fn();
    const subject = new AsyncSubject<number>({ concurrency: 1, onError });
    subject.attach(async (n) => {
      await sleep(10);
      if (n === 2) throw new Error("second fails");
    });
    subject.publish(1);

    const queued = track(subject.notify(2));
    await vi.advanceTimersByTimeAsync(20);

    expect(queued.error).toBeInstanceOf(AggregateError);
    expect(onError).not.toHaveBeenCalled();
  });

  it("frees the slot of a failed round", async () => {
    const onError = vi.fn();
    const subject = new AsyncSubject<number>({ concurrency: 1, onError });
    const seen: number[] = [];
    subject.attach(async (n) => {
      seen.push(n);
      await sleep(10);
      if (n === 1) throw new Error("first fails");
    });
    subject.publish(1);
    subject.publish(2);
    await vi.advanceTimersByTimeAsync(20);
    expect(seen).toEqual([1, 2]);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("waits in idle() for queued rounds too", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1 });
    subject.attach(() => sleep(100));
    subject.publish(1);
    subject.publish(2);
    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(100);
    expect(idle.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(idle.settled).toBe(true);
  });

  it("rejects a notify() that was queued when its round fails", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1 });
    subject.attach(async (n) => {
      await sleep(10);
      if (n === 2) throw new Error("second fails");
    });
    subject.publish(1);
    const queued = track(subject.notify(2));
    await vi.advanceTimersByTimeAsync(20);
    expect(queued.error).toBeInstanceOf(AggregateError);
  });
});

describe("async iteration: for await (const value of subject)", () => {
  it("yields the values notified after it starts, in order", async () => {
    const subject = new AsyncSubject<number>();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const n of subject) {
        seen.push(n);
        if (n === 3) break;
      }
    })();
    await subject.notify(1);
    await subject.notify(2);
    await subject.notify(3);
    await loop;
    expect(seen).toEqual([1, 2, 3]);
  });

  it("detaches its observer when the loop breaks", async () => {
    const subject = new AsyncSubject<number>();
    const loop = (async () => {
      for await (const _ of subject) break;
    })();
    expect(subject.size).toBe(1);
    await subject.notify(1);
    await loop;
    expect(subject.size).toBe(0);
  });

  it("detaches its observer when the enclosing function returns from the loop", async () => {
    const subject = new AsyncSubject<number>();
    const firstAbove = async (limit: number) => {
      for await (const n of subject) if (n > limit) return n;
      return undefined;
    };
    const found = firstAbove(1);
    await subject.notify(1);
    await subject.notify(2);
    await expect(found).resolves.toBe(2);
    expect(subject.size).toBe(0);
  });

  it("detaches its observer when the loop body throws", async () => {
    const subject = new AsyncSubject<number>();
    const loop = (async () => {
      for await (const _ of subject) throw new Error("consumer crashed");
    })();
    const settled = loop.catch((e: unknown) => e);
    await subject.notify(1);
    expect(await settled).toMatchObject({ message: "consumer crashed" });
    expect(subject.size).toBe(0);
  });

  it("detaches when throw() is called on the iterator, and rejects with the error", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream();
    const error = new Error("stop");
    await expect(iterator.throw(error)).rejects.toBe(error);
    expect(subject.size).toBe(0);
  });

  it("ends a pending next() with done when return() is called", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream();
    const pending = iterator.next();
    await expect(iterator.return()).resolves.toEqual({ value: undefined, done: true });
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
  });

  it("buffers values the consumer has not pulled yet", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream();
    await subject.notify(1);
    await subject.notify(2);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    expect(await iterator.next()).toEqual({ value: 2, done: false });
    await iterator.return();
  });

  it('makes the round wait while the buffer is full ("wait", the default)', async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream({ bufferSize: 1 });
    await subject.notify(1);
    const blocked = track(subject.notify(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(blocked.settled).toBe(false);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(blocked.settled).toBe(true);
    expect(await iterator.next()).toEqual({ value: 2, done: false });
    await iterator.return();
  });

  it("lets a waiting round finish when the consumer leaves", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream({ bufferSize: 1 });
    await subject.notify(1);
    const blocked = track(subject.notify(2));
    await iterator.return();
    await vi.advanceTimersByTimeAsync(0);
    expect(blocked).toMatchObject({ settled: true, rejected: false });
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('keeps the newest values and counts the dropped ones ("drop-oldest")', async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream({ bufferSize: 2, overflow: "drop-oldest" });
    for (let n = 1; n <= 5; n++) await subject.notify(n);
    expect(iterator.dropped).toBe(3);
    expect(await iterator.next()).toEqual({ value: 4, done: false });
    expect(await iterator.next()).toEqual({ value: 5, done: false });
    await iterator.return();
  });

  it("gives every iterator every value", async () => {
    const subject = new AsyncSubject<number>();
    const a = subject.stream();
    const b = subject.stream();
    await subject.notify(1);
    expect([await a.next(), await b.next()]).toEqual([
      { value: 1, done: false },
      { value: 1, done: false },
    ]);
    await a.return();
    await b.return();
  });

  it("rejects a pending next() with the signal's reason on abort, then detaches", async () => {
    const subject = new AsyncSubject<number>();
    const controller = new AbortController();
    const iterator = subject.stream({ signal: controller.signal });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(subject.size).toBe(0);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("removes its abort listener when the loop breaks", async () => {
    const subject = new AsyncSubject<number>();
    const controller = new AbortController();
    const loop = (async () => {
      for await (const _ of subject.stream({ signal: controller.signal })) break;
    })();
    await subject.notify(1);
    await loop;
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("ends when the subject closes, after draining its buffer", async () => {
    const subject = new AsyncSubject<number>();
    const seen: number[] = [];
    const iterator = subject.stream();
    await subject.notify(1);
    await subject.notify(2);
    await subject.close();
    for await (const n of iterator) seen.push(n);
    expect(seen).toEqual([1, 2]);
    expect(subject.size).toBe(0);
  });

  it("ends a pending next() as soon as the subject closes with nothing buffered", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream();
    const pending = iterator.next();

    await subject.close();

    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(subject.size).toBe(0);
  });

  it("never attaches when its signal is already aborted, and rejects like notify() does", async () => {
    const subject = new AsyncSubject<number>();
    const signal = AbortSignal.abort();
    const iterator = subject.stream({ signal });
    expect(subject.size).toBe(0);
    await expect(iterator.next()).rejects.toBe(signal.reason);
    await expect(subject.notify(1, { signal })).rejects.toBe(signal.reason);
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("rejects the next next() when aborted between pulls, then ends", async () => {
    const subject = new AsyncSubject<number>();
    const controller = new AbortController();
    const iterator = subject.stream({ signal: controller.signal });
    controller.abort(new Error("stop"));
    expect(subject.size).toBe(0);
    await expect(iterator.next()).rejects.toThrow("stop");
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("says nothing of an abort to a consumer that left with return()", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream({ signal: AbortSignal.abort() });
    await iterator.return();
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("return(value) resolves with the value it is given, as a generator's does", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject.stream();
    await expect(iterator.return(42 as never)).resolves.toEqual({ value: 42, done: true });
    expect(subject.size).toBe(0);
  });

  it.each([
    ["a string", "abort"],
    ["null", null],
    ["an object", { aborted: false }],
  ])("refuses %s as its signal by name, before it attaches", async (_what, signal) => {
    const subject = new AsyncSubject<number>();
    const error = thrownBy(() => subject.stream({ signal: signal as never }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^`options.signal` must be an AbortSignal, got /);
    expect(subject.size).toBe(0);
    // Nothing was left attached to hold rounds: notify() and close() settle.
    for (let i = 0; i < 100; i++) subject.publish(i);
    await expect(subject.notify(1)).resolves.toBeUndefined();
    await expect(subject.close()).resolves.toBeUndefined();
  });

  it("refuses null options by name", () => {
    const subject = new AsyncSubject<number>();
    expect(() => subject.stream(null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });

  it("rejects a bad buffer size with a RangeError naming the option", () => {
    const subject = new AsyncSubject<number>();
    expect(() => subject.stream({ bufferSize: 0 })).toThrow(RangeError);
    expect(() => subject.stream({ bufferSize: 0 })).toThrow(
      "`bufferSize` must be a whole number of at least 1, got 0",
    );
    expect(() => subject.stream({ bufferSize: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => subject.stream({ overflow: "reject" as never })).toThrow(
      new TypeError('`overflow` must be "wait" or "drop-oldest", got "reject"'),
    );
  });
});

describe("close()", () => {
  it("waits for outstanding rounds, then refuses new values with a ClosedError", async () => {
    const subject = new AsyncSubject<number>();
    let done = false;
    subject.attach(async () => {
      await sleep(100);
      done = true;
    });
    subject.publish(1);
    const closed = track(subject.close());
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toBe(true);
    expect(closed.settled).toBe(true);
    expect(() => subject.publish(2)).toThrow(ClosedError);
    expect(() => subject.publish(2)).toThrow("the subject is closed");
    await expect(subject.notify(2)).rejects.toThrow("the subject is closed");
  });
});

describe("options are checked", () => {
  it.each([
    [{ concurrency: 0 }, "`concurrency` must be a whole number of at least 1 (or Infinity), got 0"],
    [{ concurrency: 1.5 }, "`concurrency`"],
    [{ maxQueue: -1 }, "`maxQueue`"],
    [{ timeout: 0 }, "`timeout` must be a number of milliseconds above 0 up to 2147483647, got 0"],
    [{ timeout: Number.NaN }, "`timeout`"],
    [{ timeout: -5 }, "`timeout`"],
    [
      { timeout: 2 ** 31 },
      "`timeout` must be a number of milliseconds above 0 up to 2147483647, got 2147483648",
    ],
    [{ timeout: 1e308 }, "got 1e+308"],
    [{ maxDepth: 0 }, "`maxDepth` must be a whole number of at least 1 (or Infinity), got 0"],
  ])("rejects %o with a RangeError naming the option", (options, message) => {
    expect(() => new AsyncSubject<number>(options)).toThrow(RangeError);
    expect(() => new AsyncSubject<number>(options)).toThrow(message);
  });

  it("accepts Infinity for concurrency and maxQueue: no limit", () => {
    const subject = new AsyncSubject<number>({
      concurrency: Number.POSITIVE_INFINITY,
      maxQueue: Number.POSITIVE_INFINITY,
    });

    expect(subject.stats).toMatchObject({ running: 0, queued: 0 });
  });

  it.each([
    [{ mode: "parallel" }, "`mode`"],
    [{ overflow: "block" }, "`overflow`"],
    [{ onError: "log" }, "`onError`"],
    [{ onDrop: 1 }, "`onDrop` must be a function, got 1"],
    [
      { timeout: "5s" },
      '`timeout` must be a number of milliseconds above 0 up to 2147483647, got "5s"',
    ],
    [{ concurrency: "2" }, "`concurrency`"],
  ])("rejects %o with a TypeError naming the option", (options, message) => {
    expect(() => new AsyncSubject<number>(options as never)).toThrow(TypeError);
    expect(() => new AsyncSubject<number>(options as never)).toThrow(message);
  });
});

describe("the errors", () => {
  it("name their class in error.name, which logs and error trackers show", () => {
    expect(new ObserverError(() => undefined, "x").name).toBe("ObserverError");
    expect(new TimeoutError(50).name).toBe("TimeoutError");
    expect(new QueueFullError(1).name).toBe("QueueFullError");
    expect(new DroppedError().name).toBe("DroppedError");
    expect(new ClosedError("subject").name).toBe("ClosedError");
  });

  it("say what happened in their messages", () => {
    expect(new TimeoutError(50).message).toBe("timed out after 50 ms");
    expect(new TimeoutError(50, "job 3").message).toBe("job 3 timed out after 50 ms");
    expect(new QueueFullError(2).message).toBe("the queue is full (2 waiting)");
    expect(new DroppedError().message).toBe(
      "the notification was dropped from a full queue to make room for a newer one",
    );
  });

  it.each([
    ["a named function by its name", function audit() {}, '"audit"'],
    ["an anonymous function", () => undefined, "(anonymous)"],
    ["an object by its class", new (class AuditLog {})(), '"AuditLog"'],
    ["a plain object", { update() {} }, "(object)"],
    ["an object without a prototype", Object.create(null), "(object)"],
    ["null as null", null, "null"],
    ["anything else as a string", 42, "42"],
  ])("ObserverError names %s", (_what, observer, shown) => {
    expect(new ObserverError(observer, new Error("down")).message).toBe(
      `observer ${shown} failed: down`,
    );
  });

  it("ObserverError shows a thrown symbol, which a template string cannot", () => {
    expect(new ObserverError(42, Symbol("gone")).message).toBe("observer 42 failed: Symbol(gone)");
  });
});

describe("hostile thrown values: error handling never breaks", () => {
  /** Formats its arguments as console.error does, which throws on some hostile values. */
  const consoleFormats = () =>
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      format(...args);
    });

  it.each(hostileValues())(
    "notify() settles when observers throw or reject with %s, and calls the others",
    async (_label, value) => {
      const subject = new AsyncSubject<number>();
      const after = vi.fn();
      subject.attach(() => {
        throw value;
      });
      subject.attach(() => Promise.reject(value));
      subject.attach(after);

      const error = (await rejectionOfNotify(subject.notify(1))) as AggregateError;

      expect(after).toHaveBeenCalledOnce();
      expect(error).toBeInstanceOf(AggregateError);
      expect(error.errors).toHaveLength(2);
      for (const failure of error.errors) {
        expect(failure).toBeInstanceOf(ObserverError);
        expect((failure as ObserverError).cause).toBe(value);
      }
      expect(subject.stats.running).toBe(0);
      await expect(subject.idle()).resolves.toBeUndefined();
      await expect(subject.close()).resolves.toBeUndefined();
    },
  );

  it.each(hostileValues())(
    "a serial round settles when an observer rejects with %s, and calls the others",
    async (_label, value) => {
      const subject = new AsyncSubject<number>({ mode: "serial", timeout: 1_000 });
      const after = vi.fn();
      subject.attach(async () => {
        throw value;
      });
      subject.attach(after);

      const error = (await rejectionOfNotify(subject.notify(1))) as AggregateError;

      expect(after).toHaveBeenCalledOnce();
      expect(error.errors).toHaveLength(1);
      await expect(subject.close()).resolves.toBeUndefined();
    },
  );

  it.each(hostileValues())(
    "an observer returning %s is either done or failed, never stuck",
    async (_label, value) => {
      for (const timeout of [undefined, 1_000]) {
        const subject = new AsyncSubject<number>(timeout ? { timeout } : {});
        subject.attach(() => value);
        const outcome = track(subject.notify(1));
        await vi.advanceTimersByTimeAsync(0);
        expect(outcome.settled).toBe(true);
        expect(subject.stats.running).toBe(0);
      }
    },
  );

  it.each(hostileValues())(
    "publish() reports a failure with %s once, and nothing goes unhandled",
    async (_label, value) => {
      const onError = vi.fn();
      const subject = new AsyncSubject<number>({ onError });
      subject.attach(() => {
        throw value;
      });
      subject.attach(async () => {
        throw value;
      });
      const escaped = await unhandledDuring(async () => {
        subject.publish(1);
        await subject.idle();
      });
      expect(escaped).toEqual([]);
      expect(onError).toHaveBeenCalledOnce();
      expect((onError.mock.calls[0] as [AggregateError])[0].errors).toHaveLength(2);
    },
  );

  it.each(hostileValues())(
    "the default error channel logs a failure with %s without throwing",
    async (_label, value) => {
      const logged = consoleFormats();
      const subject = new AsyncSubject<number>();
      subject.attach(async () => {
        throw value;
      });
      subject.publish(1);
      await subject.idle();
      expect(logged).toHaveBeenCalled();
      expect(logged.mock.calls[0]?.[0]).toBe("AsyncSubject: a published round failed:");
    },
  );

  it("an onError that throws a hostile value is logged, and the subject goes on", async () => {
    const logged = consoleFormats();
    const [, [, hostile]] = hostileValues() as [unknown, [string, unknown]];
    const subject = new AsyncSubject<number>({
      onError: () => {
        throw hostile;
      },
    });
    subject.attach(() => {
      throw hostile;
    });
    subject.publish(1);
    await subject.idle();
    expect(logged.mock.calls[0]?.[0]).toBe(
      "AsyncSubject: onError threw while reporting a failed round",
    );
    await expect(subject.notify(2)).rejects.toBeInstanceOf(AggregateError);
  });

  it("ObserverError describes a value it cannot read instead of throwing", () => {
    for (const [, value] of hostileValues()) {
      const error = new ObserverError(() => undefined, value);
      expect(error.message).toMatch(/^observer \(anonymous\) failed: /);
      expect(error.cause).toBe(value);
    }
  });
});

describe("re-entrant publishing", () => {
  it("holds `concurrency: 1` when an observer publishes from its synchronous part", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1 });
    const seen: number[] = [];
    let most = 0;
    subject.attach((n) => {
      most = Math.max(most, subject.stats.running);
      seen.push(n);
      if (n < 5) subject.publish(n + 1);
      return sleep(10);
    });

    subject.publish(0);
    await vi.advanceTimersByTimeAsync(100);

    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(1);
    await expect(subject.idle()).resolves.toBeUndefined();
  });

  it("counts the slot of a round of synchronous observers too", async () => {
    const subject = new AsyncSubject<number>({ concurrency: 1 });
    const order: string[] = [];
    subject.attach((n) => {
      order.push(`start ${n}`);
      if (n === 0) subject.publish(1); // queued: round 0 holds the only slot
      order.push(`end ${n}`);
    });
    subject.publish(0);
    expect(order).toEqual(["start 0", "end 0", "start 1", "end 1"]);
    expect(subject.stats).toMatchObject({ running: 0, queued: 0 });
  });

  it.each([
    ["unbounded", {}],
    ["with concurrency 1", { concurrency: 1 }],
  ])(
    "stops runaway self-publishing (%s) with a RecursionLimitError, reported once",
    async (_what, options) => {
      const onError = vi.fn();
      const subject = new AsyncSubject<number>({ ...options, onError });
      const calls = vi.fn((n: number) => subject.publish(n + 1));
      subject.attach(calls);

      subject.publish(0);
      await subject.idle();

      expect(calls).toHaveBeenCalledTimes(32);
      expect(onError).toHaveBeenCalledOnce();
      const [error, value] = onError.mock.calls[0] as [AggregateError, number];
      expect(value).toBe(31);
      expect((error.errors[0] as ObserverError).cause).toEqual(new RecursionLimitError(32));
      expect(subject.stats).toMatchObject({ running: 0, queued: 0 });
    },
  );

  it("takes its limit from `maxDepth`, and notify() rejects at it", async () => {
    const subject = new AsyncSubject<number>({ maxDepth: 3 });
    const calls = vi.fn((n: number) => subject.notify(n + 1));
    subject.attach(calls);

    const error = await rejectionOfNotify(subject.notify(0));

    expect(calls).toHaveBeenCalledTimes(3);
    let cause: unknown = error;
    while (cause instanceof AggregateError) cause = (cause.errors[0] as ObserverError).cause;
    expect(cause).toEqual(new RecursionLimitError(3));
    expect((cause as Error).message).toMatch(/nested more than 3 rounds deep/);
  });

  it("does not count rounds published after an await: they start on a fresh stack", async () => {
    const subject = new AsyncSubject<number>({ maxDepth: 2, onError: vi.fn() });
    const seen: number[] = [];
    subject.attach(async (n) => {
      seen.push(n);
      await sleep(1);
      if (n < 10) subject.publish(n + 1);
    });
    subject.publish(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(seen).toHaveLength(11);
  });
});

describe("notify() options are checked", () => {
  it.each([
    ["a string", { signal: "abort" }, '`options.signal` must be an AbortSignal, got "abort"'],
    ["null", { signal: null }, "`options.signal` must be an AbortSignal, got null"],
    ["null options", null, "`options` must be an object, got null"],
  ])("rejects %s with a TypeError naming it", async (_what, options, message) => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);
    await expect(subject.notify(1, options as never)).rejects.toThrow(new TypeError(message));
    expect(observer).not.toHaveBeenCalled();
  });

  it("refuses null subject options by name", () => {
    expect(() => new AsyncSubject<number>(null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });
});

/** What a notify() rejected with; fails the test if it resolved. */
async function rejectionOfNotify(promise: Promise<void>): Promise<unknown> {
  const outcome = track(promise);
  await vi.advanceTimersByTimeAsync(0);
  expect(outcome.rejected).toBe(true);
  return outcome.error;
}
