import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncSubject, ObserverError } from "./subject";

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

describe("new AsyncSubject(bufferSize)", () => {
  /** What the constructor threw, or "no error". */
  const thrownBy = (bufferSize: number): unknown => {
    try {
      new AsyncSubject<number>(bufferSize);
    } catch (error) {
      return error;
    }
    return "no error";
  };

  it("refuses a size that is not a whole number of at least 1 with a RangeError naming it", () => {
    for (const bad of [0, -0, -1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -Infinity]) {
      const error = thrownBy(bad);
      expect(error).toBeInstanceOf(RangeError);
      expect(error).toEqual(
        new RangeError(`\`bufferSize\` must be a whole number of at least 1, got ${bad}`),
      );
    }
  });

  it("refuses every zero, negative or fractional size (property)", () => {
    const bad = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ noNaN: false }).filter((n) => !Number.isInteger(n)),
    );
    fc.assert(
      fc.property(bad, (size) => {
        expect(thrownBy(size)).toBeInstanceOf(RangeError);
      }),
      { numRuns: 150 },
    );
  });

  it("accepts every whole size from 1 and buffers exactly that many values", async () => {
    for (const size of [1, 2, 5]) {
      const subject = new AsyncSubject<number>(size);
      subject[Symbol.asyncIterator]();
      const rounds = Array.from({ length: size + 1 }, (_, i) => track(subject.notify(i)));
      await settle();

      expect(rounds.map((round) => round.settled)).toEqual([
        ...Array.from({ length: size }, () => true),
        false,
      ]);
    }
  });

  it("holds 16 values by default", async () => {
    const subject = new AsyncSubject<number>();
    subject[Symbol.asyncIterator]();
    const rounds = Array.from({ length: 17 }, (_, i) => track(subject.notify(i)));
    await settle();

    expect(rounds.filter((round) => round.settled)).toHaveLength(16);
    expect(rounds[16]?.settled).toBe(false);
  });
});

describe("a loop beside other observers", () => {
  it("still gets the value when another observer fails, and notify() reports that failure", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();
    async function sendEmail() {
      throw new Error("smtp down");
    }
    subject.attach(sendEmail);
    const [anonymous] = [
      () => {
        throw "quota";
      },
    ];
    subject.attach(anonymous as () => never);

    const error = await subject.notify(1).then(
      () => "resolved",
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toBe("2 of 3 observers failed");
    const [failure, second] = (error as AggregateError).errors;
    expect(second?.message).toBe("observer (anonymous) failed: quota");
    expect(failure).toBeInstanceOf(ObserverError);
    expect(failure).toMatchObject({
      name: "ObserverError",
      observer: sendEmail,
      message: "observer sendEmail failed: smtp down",
    });
    expect(await pull(iterator)).toEqual({ value: 1, done: false });
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

describe("several waiting readers or writers", () => {
  it("attaches as soon as the iterator is made, before the first next()", async () => {
    const subject = new AsyncSubject<number>();

    const iterator = subject[Symbol.asyncIterator]();
    expect(subject.size).toBe(1);
    await subject.notify(1);

    expect(await pull(iterator)).toEqual({ value: 1, done: false });
  });

  it("gives values to waiting next() calls in the order they were made", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();
    const first = iterator.next();
    const second = iterator.next();

    await subject.notify(1);
    await subject.notify(2);

    await expect(first).resolves.toEqual({ value: 1, done: false });
    await expect(second).resolves.toEqual({ value: 2, done: false });
  });

  it("lets rounds waiting for room in the order they came, and keeps their values in order", async () => {
    const subject = new AsyncSubject<number>(1);
    const iterator = subject[Symbol.asyncIterator]();
    await subject.notify(1);
    const waiting = [2, 3, 4].map((n) => track(subject.notify(n)));
    await settle();

    const values: unknown[] = [];
    const released: boolean[][] = [];
    for (let i = 0; i < 4; i++) {
      values.push(((await pull(iterator)) as IteratorResult<number>).value);
      await settle();
      released.push(waiting.map((round) => round.settled));
    }

    expect(values).toEqual([1, 2, 3, 4]);
    expect(released).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
      [true, true, true],
    ]);
  });

  it("returns itself from its own [Symbol.asyncIterator]()", () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();

    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
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

  it("keeps saying done on every next() after return(), and return() itself says done", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();
    await subject.notify(1);

    await expect(iterator.return()).resolves.toEqual({ value: undefined, done: true });
    await subject.notify(2);

    expect(await pull(iterator)).toEqual({ value: undefined, done: true });
    expect(await pull(iterator)).toEqual({ value: undefined, done: true });
    await expect(iterator.return()).resolves.toEqual({ value: undefined, done: true });
  });

  it("leaves the other loops attached and receiving when one returns", async () => {
    const subject = new AsyncSubject<number>();
    const leaving = subject[Symbol.asyncIterator]();
    const staying = subject[Symbol.asyncIterator]();

    await leaving.return();
    await subject.notify(1);

    expect(subject.size).toBe(1);
    expect(await pull(staying)).toEqual({ value: 1, done: false });
  });

  it("ends a pending next() with done when return() is called", async () => {
    const subject = new AsyncSubject<number>();
    const iterator = subject[Symbol.asyncIterator]();
    const next = iterator.next();
    const pending = track(next);

    const returned = track(iterator.return());
    await settle();

    expect(returned.settled).toBe(true);
    expect(pending.settled).toBe(true);
    await expect(next).resolves.toEqual({ value: undefined, done: true });
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
    expect(await pull(iterator)).toEqual({ value: undefined, done: true });
  });
});
