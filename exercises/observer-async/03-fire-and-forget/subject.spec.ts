import { setImmediate as realTick } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncSubject, ObserverError } from "./subject";

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
let subject: AsyncSubject<string>;

beforeEach(() => {
  vi.useFakeTimers();
  onError = vi.fn();
  subject = new AsyncSubject<string>({ onError });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("publish()", () => {
  it("returns undefined at once, before asynchronous observers finish", async () => {
    let finished = false;
    subject.attach(async () => {
      await sleep(100);
      finished = true;
    });

    expect(subject.publish("x")).toBeUndefined();
    expect(finished).toBe(false);

    await vi.advanceTimersByTimeAsync(100);
    expect(finished).toBe(true);
  });

  it("runs every observer with the value", async () => {
    const email = vi.fn();
    const sms = vi.fn(() => sleep(10));
    subject.attach(email);
    subject.attach(sms);

    subject.publish("breaking news");
    await vi.advanceTimersByTimeAsync(10);

    expect(email).toHaveBeenCalledWith("breaking news");
    expect(sms).toHaveBeenCalledWith("breaking news");
  });

  it("sends a failed round to onError as an AggregateError of ObserverErrors, with the value", async () => {
    const boom = new Error("slack down");
    subject.attach(async () => {
      await sleep(10);
      throw boom;
    });

    subject.publish("disk full");
    await vi.advanceTimersByTimeAsync(10);

    expect(onError).toHaveBeenCalledTimes(1);
    const [error, value] = onError.mock.calls[0] ?? [];
    expect(error).toBeInstanceOf(AggregateError);
    expect(error?.errors[0]).toBeInstanceOf(ObserverError);
    expect(error?.errors[0].cause).toBe(boom);
    expect(value).toBe("disk full");
  });

  it("reports each failed round separately", async () => {
    subject.attach(async (value) => {
      await sleep(10);
      throw new Error(`failed on ${value}`);
    });

    subject.publish("a");
    subject.publish("b");
    await vi.advanceTimersByTimeAsync(10);

    expect(onError.mock.calls.map(([, value]) => value)).toEqual(["a", "b"]);
  });

  it("never lets a failure become an unhandled rejection", async () => {
    const escaped: unknown[] = [];
    const listener = (reason: unknown) => escaped.push(reason);
    process.on("unhandledRejection", listener);
    try {
      subject.attach(async () => {
        await sleep(10);
        throw new Error("nobody awaits me");
      });
      subject.attach(() => {
        throw new Error("synchronous");
      });

      subject.publish("x");
      await vi.advanceTimersByTimeAsync(10);
      // Node reports an unhandled rejection once the current macrotask is over: give it one.
      await realTick();
    } finally {
      process.off("unhandledRejection", listener);
    }

    expect(escaped).toEqual([]);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("does not call onError when every observer succeeds", async () => {
    subject.attach(() => sleep(10));

    subject.publish("x");
    await vi.advanceTimersByTimeAsync(10);

    expect(onError).not.toHaveBeenCalled();
  });
});

describe("idle()", () => {
  it("resolves at once when nothing is outstanding", async () => {
    subject.attach(() => sleep(10));

    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(0);

    expect(idle.settled).toBe(true);
  });

  it("waits for every outstanding round, not only the last one published", async () => {
    subject.attach((value) => sleep(Number(value)));

    subject.publish("500");
    subject.publish("100");
    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(100);
    expect(idle.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(400);
    expect(idle.settled).toBe(true);
  });

  it("waits for rounds published while it was waiting", async () => {
    subject.attach((value) => sleep(Number(value)));
    subject.publish("100");
    const idle = track(subject.idle());

    await vi.advanceTimersByTimeAsync(50);
    subject.publish("100");
    await vi.advanceTimersByTimeAsync(50);
    expect(idle.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(50);
    expect(idle.settled).toBe(true);
  });

  it("resolves after a failed round too, once onError has seen it", async () => {
    subject.attach(async () => {
      await sleep(10);
      throw new Error("boom");
    });
    subject.publish("x");

    const idle = subject.idle().then(() => onError.mock.calls.length);
    await vi.advanceTimersByTimeAsync(10);

    await expect(idle).resolves.toBe(1);
  });
});
