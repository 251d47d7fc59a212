import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncSubject } from "./subject";

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

/** Starts `body` in the background; its promise is awaited later and never left unhandled. */
function background<R>(body: () => Promise<R>): Promise<R> {
  const promise = body();
  promise.catch(() => {});
  return promise;
}

/** Lets pending promise callbacks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

/** The iterator's next result, or "nothing yet" if none is ready (instead of waiting forever). */
async function pull<T>(iterator: AsyncIterator<T>) {
  const next = iterator.next();
  next.catch(() => {});
  return Promise.race([next, settle().then(() => "nothing yet" as const)]);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("for await (const value of subject)", () => {
  it("yields each value notified after the loop starts, in order", async () => {
    const subject = new AsyncSubject<number>();
    const seen: number[] = [];
    const loop = background(async () => {
      for await (const n of subject) {
        seen.push(n);
        if (seen.length === 3) break;
      }
    });

    for (const n of [1, 2, 3]) await subject.notify(n);
    await loop;

    expect(seen).toEqual([1, 2, 3]);
  });

  it("gives every loop every value", async () => {
    const subject = new AsyncSubject<string>();
    const first = subject[Symbol.asyncIterator]();
    const second = subject[Symbol.asyncIterator]();

    await subject.notify("tick");

    expect(await pull(first)).toEqual({ value: "tick", done: false });
    expect(await pull(second)).toEqual({ value: "tick", done: false });
  });

  it("buffers values the consumer has not pulled yet", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();

    await subject.notify(1);
    await subject.notify(2);

    expect(await pull(iterator)).toEqual({ value: 1, done: false });
    expect(await pull(iterator)).toEqual({ value: 2, done: false });
  });
});

describe("back-pressure: a bounded buffer", () => {
  it("makes notify() wait while the buffer is full, until the consumer pulls", async () => {
    const subject = new AsyncSubject<number>(2);
    const iterator = subject[Symbol.asyncIterator]();
    await subject.notify(1);
    await subject.notify(2);

    const third = track(subject.notify(3));
    await settle();
    expect(third.settled).toBe(false);

    expect(await pull(iterator)).toEqual({ value: 1, done: false });
    await settle();
    expect(third.settled).toBe(true);
    expect(await pull(iterator)).toEqual({ value: 2, done: false });
    expect(await pull(iterator)).toEqual({ value: 3, done: false });
  });
});

describe("cleaning up: no observer is left behind", () => {
  it("detaches when the loop breaks", async () => {
    const subject = new AsyncSubject<number>();
    const loop = background(async () => {
      for await (const _ of subject) break;
    });
    expect(subject.size).toBe(1);

    await subject.notify(1);
    await loop;

    expect(subject.size).toBe(0);
  });

  it("detaches when the enclosing function returns from inside the loop", async () => {
    const subject = new AsyncSubject<number>();
    const firstAbove = async (limit: number) => {
      for await (const n of subject) {
        if (n > limit) return n;
      }
      return undefined;
    };
    const found = background(() => firstAbove(1));

    await subject.notify(1);
    await subject.notify(2);

    await expect(found).resolves.toBe(2);
    expect(subject.size).toBe(0);
  });

  it("detaches when the loop body throws", async () => {
    const subject = new AsyncSubject<number>();
    const loop = background(async () => {
      for await (const _ of subject) throw new Error("consumer crashed");
    });

    await subject.notify(1);

    await expect(loop).rejects.toThrow("consumer crashed");
    expect(subject.size).toBe(0);
  });

  it("stops receiving values once return() is called", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();
    await subject.notify(1);

    await iterator.return();
    await subject.notify(2);

    expect(await pull(iterator)).toEqual({ value: undefined, done: true });
  });

  it("ends a pending next() with done when return() is called", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();
    const pending = track(iterator.next());

    const returned = track(iterator.return());
    await settle();

    expect(returned.settled).toBe(true);
    expect(pending.settled).toBe(true);
  });

  it("lets a notify() waiting for room finish when the consumer leaves", async () => {
    const subject = new AsyncSubject<number>(1);
    const iterator = subject[Symbol.asyncIterator]();
    await subject.notify(1);
    const waiting = track(subject.notify(2));

    const returned = track(iterator.return());
    await settle();

    expect(returned.settled).toBe(true);
    expect(waiting.settled).toBe(true);
  });
});
