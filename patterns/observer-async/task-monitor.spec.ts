import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hostileValues } from "../../kata/spec-helpers";
import { TimeoutError } from "./errors";
import { type TaskEvent, TaskMonitor } from "./task-monitor";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A task that resolves with `value` after `ms`, named `key`. */
const resolvesAfter = <R>(key: string, ms: number, value: R) => ({
  key,
  run: async () => {
    await sleep(ms);
    return value;
  },
});

/** A task that rejects with `message` after `ms`. */
const rejectsAfter = (key: string, ms: number, message: string) => ({
  key,
  run: async (): Promise<never> => {
    await sleep(ms);
    throw new Error(message);
  },
});

/** "type key" for each event, to compare orders at a glance. */
const brief = (events: readonly TaskEvent<unknown>[]) => events.map((e) => `${e.type} ${e.key}`);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("run(): outcomes", () => {
  it("returns every outcome in input order, whatever order the tasks finish in", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: 3 });
    const run = monitor.run([
      resolvesAfter("a", 300, "A"),
      resolvesAfter("b", 100, "B"),
      resolvesAfter("c", 200, "C"),
    ]);
    await vi.advanceTimersByTimeAsync(300);
    await expect(run).resolves.toEqual([
      { status: "fulfilled", value: "A" },
      { status: "fulfilled", value: "B" },
      { status: "fulfilled", value: "C" },
    ]);
  });

  it("settles only once its slowest task has ended", async () => {
    const monitor = new TaskMonitor<string>();
    let settled = false;
    const run = monitor.run([resolvesAfter("a", 100, "A")]).finally(() => {
      settled = true;
    });

    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(settled).toBe(true);
    await expect(run).resolves.toEqual([{ status: "fulfilled", value: "A" }]);
  });

  it("reports a failing task as a rejected outcome and keeps running the others", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: 1 });
    const run = monitor.run([rejectsAfter("a", 10, "disk full"), resolvesAfter("b", 10, "B")]);
    await vi.advanceTimersByTimeAsync(20);
    const [first, second] = await run;
    expect(first).toMatchObject({ status: "rejected", reason: { message: "disk full" } });
    expect(second).toEqual({ status: "fulfilled", value: "B" });
  });

  it("treats a synchronous throw as a failed task, not a crash", async () => {
    const monitor = new TaskMonitor<number>();
    const outcomes = await monitor.run([
      () => {
        throw new Error("bad input");
      },
      () => 2,
    ]);
    expect(outcomes).toEqual([
      { status: "rejected", reason: new Error("bad input") },
      { status: "fulfilled", value: 2 },
    ]);
  });

  it("resolves with an empty list for no tasks", async () => {
    await expect(new TaskMonitor().run([])).resolves.toEqual([]);
  });

  it("accepts any iterable of tasks, such as a generator", async () => {
    function* tasks() {
      for (let i = 0; i < 3; i++) yield () => i * 10;
    }
    const outcomes = await new TaskMonitor<number>().run(tasks());
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : o.reason))).toEqual([
      0, 10, 20,
    ]);
  });
});

describe("run(): concurrency", () => {
  it("runs at most `concurrency` tasks at once", async () => {
    const monitor = new TaskMonitor<number>({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(100);
      running--;
      return 0;
    };
    const run = monitor.run(Array.from({ length: 6 }, () => task));
    await vi.advanceTimersByTimeAsync(300);
    await run;
    expect(peak).toBe(2);
  });

  it("starts a waiting task as soon as any slot frees, not when a whole batch is done", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: 2 });
    const events: TaskEvent<string>[] = [];
    monitor.attach((event) => {
      if (event.type === "started") events.push(event);
    });
    const run = monitor.run([
      resolvesAfter("slow", 1000, "s"),
      resolvesAfter("quick", 100, "q"),
      resolvesAfter("next", 100, "n"),
    ]);
    await vi.advanceTimersByTimeAsync(100);
    expect(brief(events)).toEqual(["started slow", "started quick", "started next"]);
    await vi.advanceTimersByTimeAsync(900);
    await run;
  });

  it("finishes ten one-second tasks in one second when they may all run together", async () => {
    const monitor = new TaskMonitor<number>({ concurrency: 10 });
    const run = monitor.run(Array.from({ length: 10 }, (_, i) => resolvesAfter(`t${i}`, 1000, i)));
    let done = false;
    void run.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(true);
  });
});

describe("observers: the progress events", () => {
  it("announces every task as queued, in input order, before any starts", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: 1 });
    const events: TaskEvent<string>[] = [];
    monitor.attach((event) => {
      events.push(event);
    });
    const run = monitor.run([resolvesAfter("a", 10, "A"), resolvesAfter("b", 10, "B")]);
    await vi.advanceTimersByTimeAsync(20);
    await run;
    expect(brief(events)).toEqual([
      "queued a",
      "queued b",
      "started a",
      "finished a",
      "started b",
      "finished b",
    ]);
  });

  it("sends finished and failed events in completion order, with value, error and index", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: 3 });
    const events: TaskEvent<string>[] = [];
    monitor.attach((event) => {
      if (event.type === "finished" || event.type === "failed") events.push(event);
    });
    const run = monitor.run([
      resolvesAfter("a", 300, "A"),
      rejectsAfter("b", 100, "oops"),
      resolvesAfter("c", 200, "C"),
    ]);
    await vi.advanceTimersByTimeAsync(300);
    await run;
    expect(events).toMatchObject([
      { type: "failed", key: "b", index: 1, error: { message: "oops" }, ms: 100 },
      { type: "finished", key: "c", index: 2, value: "C", ms: 200 },
      { type: "finished", key: "a", index: 0, value: "A", ms: 300 },
    ]);
  });

  it("carries progress counts that a progress bar can draw from", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: 2 });
    const progress: string[] = [];
    monitor.attach((e) => {
      const p = e.progress;
      progress.push(
        `${e.type} ${e.key}: q${p.queued} r${p.running} f${p.finished} x${p.failed}/${p.total}`,
      );
    });
    const run = monitor.run([resolvesAfter("a", 10, "A"), rejectsAfter("b", 20, "no")]);
    await vi.advanceTimersByTimeAsync(20);
    await run;
    expect(progress).toEqual([
      "queued a: q2 r0 f0 x0/2",
      "queued b: q2 r0 f0 x0/2",
      "started a: q1 r1 f0 x0/2",
      "started b: q0 r2 f0 x0/2",
      "finished a: q0 r1 f1 x0/2",
      "failed b: q0 r0 f1 x1/2",
    ]);
  });

  it("names tasks by key, by function name, or by position", async () => {
    const monitor = new TaskMonitor<number>();
    const keys: string[] = [];
    monitor.attach((e) => {
      if (e.type === "queued") keys.push(e.key);
    });
    function resize() {
      return 1;
    }
    await monitor.run([
      { key: "thumbnail", run: () => 0 },
      resize,
      (
        () => () =>
          2
      )(),
      { run: () => 3 } as never, // from JavaScript: no key at all
      { key: "", run: () => 4 },
      { key: 5 as unknown as string, run: () => 5 },
    ]);
    expect(keys).toEqual(["thumbnail", "resize", "#2", "#3", "#4", "#5"]);
  });

  it("freezes events so one observer cannot change what the next one sees", async () => {
    const monitor = new TaskMonitor<number>();
    const events: TaskEvent<number>[] = [];
    monitor.attach((e) => {
      events.push(e);
    });
    await monitor.run([() => 1]);
    expect(events.every(Object.isFrozen)).toBe(true);
  });

  it("resolves only after asynchronous observers have handled every event", async () => {
    const monitor = new TaskMonitor<number>();
    let handled = 0;
    monitor.attach(async () => {
      await sleep(50);
      handled++;
    });
    const run = monitor.run([() => 1]);
    let done = false;
    void run.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect(handled).toBe(3);
  });

  it("sends a failing observer to onError, and the run goes on", async () => {
    const onError = vi.fn();
    const monitor = new TaskMonitor<number>({ onError });
    monitor.attach((e) => {
      if (e.type === "finished") throw new Error("dashboard offline");
    });
    const outcomes = await monitor.run([() => 1, () => 2]);
    expect(outcomes).toHaveLength(2);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(AggregateError);
    expect(onError.mock.calls[0]?.[1]).toMatchObject({ type: "finished", key: "#0" });
  });

  it("can be iterated with for await", async () => {
    const monitor = new TaskMonitor<number>();
    const types: string[] = [];
    const reader = (async () => {
      for await (const e of monitor.events) {
        types.push(e.type);
        if (e.type === "finished") break;
      }
    })();
    await monitor.run([() => 1]);
    await reader;
    expect(types).toEqual(["queued", "started", "finished"]);
    expect(monitor.events.size).toBe(0);
  });
});

describe("time limits and cancellation", () => {
  it("fails a task that runs past `timeout` with a TimeoutError and aborts its signal", async () => {
    const monitor = new TaskMonitor<number>({ timeout: 100 });
    let signal: AbortSignal | undefined;
    const run = monitor.run([
      {
        key: "hang",
        run: (s) => {
          signal = s;
          return new Promise<number>(() => undefined);
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(100);
    const [outcome] = await run;
    expect(outcome).toMatchObject({ status: "rejected" });
    const reason = (outcome as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(TimeoutError);
    expect(reason.message).toBe('task "hang" timed out after 100 ms');
    expect(signal?.reason).toBe(reason);
  });

  it("clears the timer of a task that finishes in time", async () => {
    const monitor = new TaskMonitor<string>({ timeout: 1000 });
    const run = monitor.run([resolvesAfter("quick", 10, "done")]);

    await vi.advanceTimersByTimeAsync(10);
    await run;

    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with the signal's reason, starts nothing more and aborts running tasks", async () => {
    const monitor = new TaskMonitor<number>({ concurrency: 1 });
    const started: string[] = [];
    const signals: AbortSignal[] = [];
    const task = (key: string) => ({
      key,
      run: async (signal: AbortSignal) => {
        started.push(key);
        signals.push(signal);
        await sleep(100);
        return 0;
      },
    });
    const controller = new AbortController();
    const run = monitor.run([task("a"), task("b")], { signal: controller.signal });
    const settled = run.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort();
    expect(await settled).toMatchObject({ name: "AbortError" });
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual(["a"]);
    expect(signals[0]?.aborted).toBe(true);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("leaves the signal of a task that has finished alone when the run is cancelled later", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: 1 });
    let finishedSignal: AbortSignal | undefined;
    const controller = new AbortController();
    const run = monitor
      .run(
        [
          {
            key: "quick",
            run: (signal) => {
              finishedSignal = signal;
              return "done";
            },
          },
          resolvesAfter("slow", 1000, "late"),
        ],
        { signal: controller.signal },
      )
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);

    controller.abort();

    expect(await run).toMatchObject({ name: "AbortError" });
    expect(finishedSignal?.aborted).toBe(false);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const task = vi.fn();
    await expect(
      new TaskMonitor().run([task], { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(task).not.toHaveBeenCalled();
  });

  it("removes its abort listener after a run that was not cancelled", async () => {
    const controller = new AbortController();
    const monitor = new TaskMonitor<number>();
    await monitor.run([() => 1], { signal: controller.signal });
    await monitor.run([() => 2], { signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("bad input", () => {
  it("rejects something that is not a task with a TypeError naming its position", async () => {
    await expect(new TaskMonitor().run([() => 1, 42 as never])).rejects.toThrow(
      new TypeError("`tasks[1]` must be a function or have a run() method, got 42"),
    );
  });

  it.each([
    ["null", null, "null"],
    ["an object without run()", { key: "resize" }, "an object"],
  ])("rejects %s with a TypeError naming its position", async (_what, task, shown) => {
    await expect(new TaskMonitor().run([task as never])).rejects.toThrow(
      new TypeError(`\`tasks[0]\` must be a function or have a run() method, got ${shown}`),
    );
  });

  it.each([
    ["null", { signal: null }, "`options.signal` must be an AbortSignal, got null"],
    ["a string", { signal: "stop" }, '`options.signal` must be an AbortSignal, got "stop"'],
    ["null options", null, "`options` must be an object, got null"],
  ])("rejects %s as run options with a TypeError naming it", async (_what, options, message) => {
    const task = vi.fn();
    await expect(new TaskMonitor().run([task], options as never)).rejects.toThrow(
      new TypeError(message),
    );
    expect(task).not.toHaveBeenCalled();
  });

  it("refuses null monitor options by name", () => {
    expect(() => new TaskMonitor(null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });

  it.each([2 ** 31, 1e308, Number.POSITIVE_INFINITY])(
    "refuses a timeout of %d ms, which no timer can wait",
    (timeout) => {
      expect(() => new TaskMonitor({ timeout })).toThrow(
        new RangeError(
          `\`timeout\` must be a number of milliseconds above 0 up to 2147483647, got ${timeout}`,
        ),
      );
    },
  );

  it.each(hostileValues())(
    "reports a task failing with %s as an outcome",
    async (_label, value) => {
      const monitor = new TaskMonitor<number>({ onError: vi.fn() });
      const failed = vi.fn();
      monitor.attach((event) => {
        if (event.type === "failed") failed(event.error);
      });
      const outcomes = await monitor.run([
        () => {
          throw value;
        },
        () => 2,
      ]);
      expect(outcomes[0]?.status).toBe("rejected");
      expect((outcomes[0] as PromiseRejectedResult).reason).toBe(value);
      expect(outcomes[1]).toEqual({ status: "fulfilled", value: 2 });
      expect(failed.mock.calls[0]?.[0]).toBe(value);
    },
  );

  it("rejects a concurrency below 1 with a RangeError naming the option", () => {
    expect(() => new TaskMonitor({ concurrency: 0 })).toThrow(RangeError);
    expect(() => new TaskMonitor({ concurrency: 0 })).toThrow("`concurrency`");
  });

  it("rejects a timeout of 0 with a RangeError naming the option", () => {
    expect(() => new TaskMonitor({ timeout: 0 })).toThrow(
      new RangeError("`timeout` must be a number of milliseconds above 0 up to 2147483647, got 0"),
    );
  });

  it("accepts Infinity as concurrency: every task at once", async () => {
    const monitor = new TaskMonitor<string>({ concurrency: Number.POSITIVE_INFINITY });
    const run = monitor.run([resolvesAfter("a", 100, "A"), resolvesAfter("b", 100, "B")]);

    await vi.advanceTimersByTimeAsync(100);

    expect(await run).toHaveLength(2);
  });
});
