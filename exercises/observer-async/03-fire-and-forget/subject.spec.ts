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

  it("sends onError the round's AggregateError with every failure, in attach order", async () => {
    const email = new Error("smtp down");
    const sms = new Error("gateway timeout");
    subject.attach(async () => {
      await sleep(20);
      throw email;
    });
    subject.attach(() => {});
    subject.attach(async () => {
      await sleep(10);
      throw sms;
    });

    subject.publish("x");
    await vi.advanceTimersByTimeAsync(20);

    expect(onError).toHaveBeenCalledTimes(1);
    const [error] = onError.mock.calls[0] ?? [];
    expect(error?.message).toBe("2 of 3 observers failed");
    expect(error?.errors.map((e: ObserverError) => e.cause)).toEqual([email, sms]);
  });

  it("names the failing observer in each ObserverError, or calls it (anonymous)", async () => {
    async function sendSlack() {
      throw new Error("slack down");
    }
    subject.attach(sendSlack);
    subject.attach(
      [
        () => {
          throw "quota";
        },
      ][0] as () => never,
    );

    subject.publish("x");
    await vi.advanceTimersByTimeAsync(0);

    const [error] = onError.mock.calls[0] ?? [];
    expect(error?.errors.map((e: ObserverError) => [e.name, e.message])).toEqual([
      ["ObserverError", "observer sendSlack failed: slack down"],
      ["ObserverError", "observer (anonymous) failed: quota"],
    ]);
  });

  it("reports an observer that fails with an object with no prototype, cause untouched", async () => {
    const bare: unknown = Object.create(null);
    async function sendFax() {
      throw bare;
    }
    subject.attach(sendFax);

    subject.publish("x");
    await vi.advanceTimersByTimeAsync(0);

    const [error] = onError.mock.calls[0] ?? [];
    expect(error).toBeInstanceOf(AggregateError);
    expect(error?.errors[0]).toBeInstanceOf(ObserverError);
    expect(error?.errors[0]?.cause).toBe(bare);
    expect(error?.errors[0]?.message).toBe("observer sendFax failed: [object Object]");
  });

  it("does not run a detached observer", async () => {
    const stays = vi.fn();
    const leaves = vi.fn();
    subject.attach(stays);
    subject.attach(leaves);

    subject.detach(leaves);
    subject.publish("x");
    await vi.advanceTimersByTimeAsync(0);

    expect(stays).toHaveBeenCalledWith("x");
    expect(leaves).not.toHaveBeenCalled();
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

  it("does not throw when an observer throws synchronously", () => {
    subject.attach(() => {
      throw new Error("synchronous");
    });

    expect(() => subject.publish("x")).not.toThrow();
  });

  it("reports a failure thrown as undefined, null or a non-Error, with that very value as cause", async () => {
    const thrown: unknown[] = [undefined, null, 0, "", "plain string", { code: 42 }];
    subject.attach((value) => {
      throw thrown[Number(value)];
    });

    thrown.forEach((_, i) => {
      subject.publish(String(i));
    });
    await vi.advanceTimersByTimeAsync(0);

    expect(onError).toHaveBeenCalledTimes(thrown.length);
    const causes = onError.mock.calls.map(([error]) => (error.errors[0] as ObserverError).cause);
    expect(causes).toHaveLength(thrown.length);
    causes.forEach((cause, i) => {
      expect(cause).toBe(thrown[i]);
    });
  });

  it("gives onError the very value that was published", async () => {
    const onFailure = vi.fn();
    const orders = new AsyncSubject<{ id: number }>({ onError: onFailure });
    orders.attach(() => Promise.reject(new Error("warehouse down")));
    const order = { id: 7 };

    orders.publish(order);
    await vi.advanceTimersByTimeAsync(0);

    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]?.[1]).toBe(order);
  });

  it("does not call onError when every observer succeeds", async () => {
    subject.attach(() => sleep(10));

    subject.publish("x");
    await vi.advanceTimersByTimeAsync(10);

    expect(onError).not.toHaveBeenCalled();
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

  it("does not become an unhandled rejection, and idle() still resolves", async () => {
    const throwing = new AsyncSubject<string>({
      onError: () => {
        throw new Error("the logger is down too");
      },
    });
    throwing.attach(async () => {
      await sleep(10);
      throw new Error("boom");
    });

    throwing.publish("x");
    const idle = throwing.idle().then(
      () => "resolved",
      () => "rejected",
    );
    await vi.advanceTimersByTimeAsync(10);
    await realTick();

    await expect(idle).resolves.toBe("resolved");
    expect(escaped).toEqual([]);
  });

  it("does not stop later failed rounds from reaching onError", async () => {
    const seen: string[] = [];
    const throwing = new AsyncSubject<string>({
      onError: (_error, value) => {
        seen.push(value);
        throw new Error("the logger is down too");
      },
    });
    throwing.attach(() => {
      throw new Error("boom");
    });

    throwing.publish("first");
    await vi.advanceTimersByTimeAsync(0);
    throwing.publish("second");
    await vi.advanceTimersByTimeAsync(0);
    await realTick();

    expect(seen).toEqual(["first", "second"]);
    expect(escaped).toEqual([]);
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

  it("waits again for rounds published after an earlier idle() resolved", async () => {
    subject.attach((value) => sleep(Number(value)));
    subject.publish("100");
    await vi.advanceTimersByTimeAsync(100);
    await subject.idle();

    subject.publish("100");
    const second = track(subject.idle());
    await vi.advanceTimersByTimeAsync(99);
    expect(second.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(second.settled).toBe(true);
  });

  it("waits for a round that an observer publishes from inside a round", async () => {
    const seen: string[] = [];
    subject.attach(async (value) => {
      await sleep(100);
      seen.push(value);
      if (value === "order") subject.publish("receipt");
    });
    subject.publish("order");

    const idle = track(subject.idle());
    await vi.advanceTimersByTimeAsync(150);
    expect(idle.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(50);
    expect(idle.settled).toBe(true);
    expect(seen).toEqual(["order", "receipt"]);
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
