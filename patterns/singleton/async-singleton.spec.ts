import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncSingleton } from "./async-singleton";
import { SingletonCycleError, SingletonResetError, SingletonTimeoutError } from "./errors";

const LATENCY = 100;

/** Watches a promise, so a test can look at its state without awaiting (and hanging on) it. */
function watch<T>(promise: Promise<T>) {
  const seen: { state: "pending" | "fulfilled" | "rejected"; value?: T; reason?: unknown } = {
    state: "pending",
  };
  promise.then(
    (value) => Object.assign(seen, { state: "fulfilled", value }),
    (reason: unknown) => Object.assign(seen, { state: "rejected", reason }),
  );
  return seen;
}

/** A fake connect(): resolves with a numbered pool after LATENCY, or fails while `down`. */
function fakeServer() {
  const server = {
    down: false,
    attempts: 0,
    signals: [] as AbortSignal[],
    connect: (signal: AbortSignal) => {
      const attempt = ++server.attempts;
      server.signals.push(signal);
      const down = server.down;
      return new Promise<{ attempt: number }>((resolve, reject) => {
        setTimeout(() => {
          if (down) reject(new Error(`attempt ${attempt} refused`));
          else resolve({ attempt });
        }, LATENCY);
      });
    },
  };
  return server;
}

let server: ReturnType<typeof fakeServer>;

beforeEach(() => {
  vi.useFakeTimers();
  server = fakeServer();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("before the first get()", () => {
  it("is idle and has called nothing", () => {
    const db = new AsyncSingleton(server.connect);

    expect(db.state).toBe("idle");
    expect(db.peek()).toBeUndefined();
    expect(server.attempts).toBe(0);
  });
});

describe("single flight", () => {
  it("shares one initialisation between concurrent first callers", async () => {
    const db = new AsyncSingleton(server.connect);

    const callers = [watch(db.get()), watch(db.get()), watch(db.get())];
    expect(db.state).toBe("pending");
    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(server.attempts).toBe(1);
    expect(callers.map((c) => c.value)).toEqual([{ attempt: 1 }, { attempt: 1 }, { attempt: 1 }]);
    expect(callers[1]?.value).toBe(callers[0]?.value);
  });

  it("gives each caller a promise of its own (an unhandled one is reported, not hidden)", () => {
    const db = new AsyncSingleton(server.connect);

    expect(db.get()).not.toBe(db.get());
  });

  it("serves later callers the ready value without initialising again", async () => {
    const db = new AsyncSingleton(server.connect);
    const first = watch(db.get());
    await vi.advanceTimersByTimeAsync(LATENCY);

    await expect(db.get()).resolves.toBe(first.value);
    expect(db.state).toBe("ready");
    expect(db.peek()).toBe(first.value);
    expect(server.attempts).toBe(1);
  });

  it("accepts an init that returns a plain value", async () => {
    const db = new AsyncSingleton(() => 42);

    await expect(db.get()).resolves.toBe(42);
    expect(db.state).toBe("ready");
  });

  it("passes init an AbortSignal that is not aborted", () => {
    const db = new AsyncSingleton(server.connect);

    void db.get();

    expect(server.signals[0]).toBeInstanceOf(AbortSignal);
    expect(server.signals[0]?.aborted).toBe(false);
  });
});

describe("a failed initialisation", () => {
  it("rejects every waiting caller with the same error", async () => {
    server.down = true;
    const db = new AsyncSingleton(server.connect);

    const callers = [watch(db.get()), watch(db.get())];
    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(callers.map((c) => c.state)).toEqual(["rejected", "rejected"]);
    expect(callers[0]?.reason).toEqual(new Error("attempt 1 refused"));
    expect(callers[1]?.reason).toBe(callers[0]?.reason);
  });

  it("is not kept: the singleton is idle again, and the next get() retries", async () => {
    server.down = true;
    const db = new AsyncSingleton(server.connect);
    watch(db.get());
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(db.state).toBe("idle");

    server.down = false;
    const retry = watch(db.get());
    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(retry.value).toEqual({ attempt: 2 });
  });

  it("counts a synchronous throw in init as a failure, rejecting instead of throwing", async () => {
    let calls = 0;
    const db = new AsyncSingleton(() => {
      if (++calls === 1) throw new Error("bad URL");
      return "pool";
    });

    await expect(db.get()).rejects.toThrow("bad URL");
    await expect(db.get()).resolves.toBe("pool");
  });

  it("does not crash the process when every caller has stopped waiting", async () => {
    server.down = true;
    const db = new AsyncSingleton(server.connect);
    const controller = new AbortController();
    const caller = watch(db.get({ signal: controller.signal }));
    controller.abort(new Error("client went away"));

    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(caller.reason).toEqual(new Error("client went away"));
    expect(db.state).toBe("idle");
  });
});

describe("a caller's AbortSignal", () => {
  it("stops only that caller's wait; the others still get the value", async () => {
    const db = new AsyncSingleton(server.connect);
    const controller = new AbortController();
    const impatient = watch(db.get({ signal: controller.signal }));
    const patient = watch(db.get());

    controller.abort(new Error("request cancelled"));
    await vi.advanceTimersByTimeAsync(0);
    expect(impatient.reason).toEqual(new Error("request cancelled"));
    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(patient.value).toEqual({ attempt: 1 });
    expect(server.signals[0]?.aborted).toBe(false);
  });

  it("already aborted: rejects at once with its reason and starts nothing", async () => {
    const db = new AsyncSingleton(server.connect);
    const reason = new Error("too late");

    await expect(db.get({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(server.attempts).toBe(0);
  });

  it("does not stop the caller from getting init's error when init fails", async () => {
    server.down = true;
    const db = new AsyncSingleton(server.connect);
    const controller = new AbortController();
    const caller = watch(db.get({ signal: controller.signal }));

    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(caller.reason).toEqual(new Error("attempt 1 refused"));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("is let go of once the value arrives (no listener left on a long-lived signal)", async () => {
    const db = new AsyncSingleton(server.connect);
    const controller = new AbortController();
    const caller = watch(db.get({ signal: controller.signal }));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(caller.state).toBe("fulfilled");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("timeoutMs", () => {
  it("rejects the waiters with SingletonTimeoutError and aborts init's signal with it", async () => {
    const signals: AbortSignal[] = [];
    const hangs = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<never>(() => {});
    };
    const db = new AsyncSingleton(hangs, { name: "db", timeoutMs: 50 });

    const caller = watch(db.get());
    await vi.advanceTimersByTimeAsync(49);
    expect(caller.state).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);

    expect(caller.reason).toBeInstanceOf(SingletonTimeoutError);
    expect(caller.reason).toHaveProperty("message", "db was not initialised within 50 ms");
    expect(signals[0]?.reason).toBe(caller.reason);
  });

  it('names the singleton "async singleton" in the error when it was given no name', async () => {
    const db = new AsyncSingleton(() => new Promise<never>(() => {}), { timeoutMs: 50 });

    const caller = watch(db.get());
    await vi.advanceTimersByTimeAsync(50);

    expect(caller.reason).toHaveProperty(
      "message",
      "async singleton was not initialised within 50 ms",
    );
  });

  it("is not kept: the next get() starts again", async () => {
    let hang = true;
    const db = new AsyncSingleton(() => (hang ? new Promise<string>(() => {}) : "pool"), {
      timeoutMs: 50,
    });
    watch(db.get());
    await vi.advanceTimersByTimeAsync(50);

    hang = false;

    await expect(db.get()).resolves.toBe("pool");
  });

  it("disposes a value that arrives after the timeout", async () => {
    const dispose = vi.fn();
    const db = new AsyncSingleton(server.connect, { timeoutMs: LATENCY / 2, dispose });
    watch(db.get());

    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(dispose).toHaveBeenCalledExactlyOnceWith({ attempt: 1 });
    expect(db.state).toBe("idle");
  });

  it("leaves no timer behind when init succeeds in time", async () => {
    const db = new AsyncSingleton(server.connect, { timeoutMs: 10 * LATENCY });
    watch(db.get());

    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(db.state).toBe("ready");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("reset()", () => {
  it("when ready: disposes the value, and the next get() initialises again", async () => {
    const dispose = vi.fn();
    const db = new AsyncSingleton(server.connect, { dispose });
    const first = watch(db.get());
    await vi.advanceTimersByTimeAsync(LATENCY);

    await db.reset();
    const second = watch(db.get());
    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(dispose).toHaveBeenCalledExactlyOnceWith(first.value);
    expect(second.value).toEqual({ attempt: 2 });
  });

  it("waits for an asynchronous dispose, and rejects if it fails (the value is forgotten anyway)", async () => {
    const db = new AsyncSingleton(() => "pool", {
      dispose: () =>
        new Promise<void>((_, reject) => setTimeout(reject, 10, new Error("close failed"))),
    });
    await db.get();

    const reset = watch(db.reset());
    expect(db.state).toBe("idle");
    await vi.advanceTimersByTimeAsync(9);
    expect(reset.state).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);

    expect(reset.reason).toEqual(new Error("close failed"));
  });

  it("while pending: rejects the waiters with SingletonResetError and aborts init's signal", async () => {
    const db = new AsyncSingleton(server.connect, { name: "db" });
    const waiting = watch(db.get());

    await db.reset();
    await vi.advanceTimersByTimeAsync(0);

    expect(waiting.reason).toBeInstanceOf(SingletonResetError);
    expect(waiting.reason).toHaveProperty("message", "db was reset while it was being initialised");
    expect(server.signals[0]?.aborted).toBe(true);
    expect(db.state).toBe("idle");
  });

  it("while pending: the next get() starts afresh, undisturbed when the old init settles", async () => {
    const dispose = vi.fn();
    const db = new AsyncSingleton(server.connect, { dispose });
    watch(db.get()); // attempt 1, settles at 100 ms
    await vi.advanceTimersByTimeAsync(LATENCY / 2);

    await db.reset();
    const fresh = watch(db.get()); // attempt 2, settles at 150 ms
    await vi.advanceTimersByTimeAsync(LATENCY / 2);

    expect(db.state).toBe("pending");
    expect(dispose).toHaveBeenCalledExactlyOnceWith({ attempt: 1 });
    await vi.advanceTimersByTimeAsync(LATENCY / 2);
    expect(fresh.value).toEqual({ attempt: 2 });
    expect(db.peek()).toEqual({ attempt: 2 });
  });

  it("while pending: ignores the old init's late failure", async () => {
    server.down = true;
    const db = new AsyncSingleton(server.connect);
    watch(db.get());
    await vi.advanceTimersByTimeAsync(LATENCY / 2);
    await db.reset();
    server.down = false;
    const fresh = watch(db.get());

    await vi.advanceTimersByTimeAsync(LATENCY / 2); // the old attempt fails now
    expect(db.state).toBe("pending");
    await vi.advanceTimersByTimeAsync(LATENCY / 2);

    expect(fresh.value).toEqual({ attempt: 2 });
  });

  it("drops an error thrown by the dispose of a late value", async () => {
    const db = new AsyncSingleton(server.connect, {
      dispose: () => {
        throw new Error("close failed");
      },
    });
    watch(db.get());
    await db.reset();

    await vi.advanceTimersByTimeAsync(LATENCY);

    expect(db.state).toBe("idle");
  });

  it("when idle: does nothing", async () => {
    const dispose = vi.fn();
    const db = new AsyncSingleton(server.connect, { dispose });

    await db.reset();

    expect(dispose).not.toHaveBeenCalled();
    expect(db.state).toBe("idle");
  });

  it("called from inside init: the initialisation being started is abandoned", async () => {
    const db: AsyncSingleton<string> = new AsyncSingleton(() => {
      void db.reset();
      return "pool";
    });

    await expect(db.get()).rejects.toBeInstanceOf(SingletonResetError);
    expect(db.state).toBe("idle");
  });
});

describe("re-entrancy", () => {
  it("rejects with SingletonCycleError when init asks for its own singleton", async () => {
    const db: AsyncSingleton<string> = new AsyncSingleton(
      async () => `${await db.get()} and more`,
      { name: "db" },
    );

    await expect(db.get()).rejects.toThrow(new SingletonCycleError("db").message);
    expect(db.state).toBe("idle");
  });

  it("allows init to use other singletons", async () => {
    const config = new AsyncSingleton(() => ({ url: "postgres://db" }));
    const db = new AsyncSingleton(async () => `pool for ${(await config.get()).url}`);

    await expect(db.get()).resolves.toBe("pool for postgres://db");
  });
});

describe("its errors", () => {
  it("say their class in error.name, which logs and error trackers show", () => {
    expect(new SingletonCycleError("db").name).toBe("SingletonCycleError");
    expect(new SingletonTimeoutError("db", 50).name).toBe("SingletonTimeoutError");
    expect(new SingletonResetError("db").name).toBe("SingletonResetError");
  });
});

describe("bad input", () => {
  it("rejects an init that is not a function with a TypeError naming it", () => {
    expect(() => new AsyncSingleton("connect" as unknown as () => 1)).toThrow(
      new TypeError('`init` must be a function, got "connect"'),
    );
  });

  it.each([
    [0, "0"],
    [-1, "-1"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [2 ** 31, "2147483648"],
    [1e308, "1e+308"],
  ])("rejects timeoutMs %s with a RangeError naming it", (timeoutMs, shown) => {
    expect(() => new AsyncSingleton(() => 1, { timeoutMs })).toThrow(
      new RangeError(
        `\`options.timeoutMs\` must be a number of milliseconds above 0 up to 2147483647, got ${shown}`,
      ),
    );
  });

  it("accepts the longest timeout a timer can wait, 2^31 − 1 ms", () => {
    expect(new AsyncSingleton(() => 1, { timeoutMs: 2 ** 31 - 1 }).state).toBe("idle");
  });

  it("rejects a timeoutMs that is not a number with a TypeError naming it", () => {
    expect(() => new AsyncSingleton(() => 1, { timeoutMs: "5" as never })).toThrow(
      new TypeError(
        '`options.timeoutMs` must be a number of milliseconds above 0 up to 2147483647, got "5"',
      ),
    );
  });

  it("rejects null options by name, in the constructor and in get()", async () => {
    expect(() => new AsyncSingleton(() => 1, null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
    await expect(new AsyncSingleton(() => 1).get(null as never)).rejects.toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });

  it("rejects a dispose that is not a function and a name that is not a string", () => {
    expect(() => new AsyncSingleton(() => 1, { dispose: {} as () => void })).toThrow(
      new TypeError("`options.dispose` must be a function, got an object"),
    );
    expect(() => new AsyncSingleton(() => 1, { name: null as unknown as string })).toThrow(
      new TypeError("`options.name` must be a string, got null"),
    );
  });

  it("rejects (does not throw) a signal that is not an AbortSignal", async () => {
    const db = new AsyncSingleton(() => 1);

    const result = db.get({ signal: { aborted: false } as AbortSignal });

    await expect(result).rejects.toThrow(
      new TypeError("`options.signal` must be an AbortSignal, got an object"),
    );
    await expect(db.get({ signal: null as never })).rejects.toThrow(
      new TypeError("`options.signal` must be an AbortSignal, got null"),
    );
  });
});
