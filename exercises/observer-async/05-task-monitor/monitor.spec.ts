import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type TaskEvent, TaskMonitor } from "./monitor";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A task that resolves with `value` after `ms`. */
const resolvesAfter =
  <R>(ms: number, value: R) =>
  async () => {
    await sleep(ms);
    return value;
  };

/** A task that rejects with `message` after `ms`. */
const rejectsAfter = (ms: number, message: string) => async (): Promise<never> => {
  await sleep(ms);
  throw new Error(message);
};

/**
 * Runs `monitor` on `tasks` and returns the outcomes, letting 10 s of fake time pass: more than
 * any task here needs, whatever order a solution runs them in.
 */
async function runAll<R>(monitor: TaskMonitor<R>, tasks: (() => R | Promise<R>)[]) {
  const run = monitor.run(tasks);
  run.catch(() => {}); // handled when the caller awaits it; no "unhandled" meanwhile
  await vi.advanceTimersByTimeAsync(10_000);
  return run;
}

/** "type index" for each event, to compare orders at a glance. */
const brief = (events: readonly TaskEvent<unknown>[]) => events.map((e) => `${e.type} ${e.index}`);

let events: TaskEvent<string>[];
let monitor: TaskMonitor<string>;

beforeEach(() => {
  vi.useFakeTimers();
  events = [];
  monitor = new TaskMonitor<string>({ concurrency: 2 });
  monitor.attach((event) => {
    events.push(event);
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("run(): the outcomes", () => {
  it("returns every outcome in input order, whatever order the tasks finish in", async () => {
    const wide = new TaskMonitor<string>({ concurrency: 3 });

    const outcomes = await runAll(wide, [
      resolvesAfter(300, "a"),
      resolvesAfter(100, "b"),
      resolvesAfter(200, "c"),
    ]);

    expect(outcomes).toEqual([
      { status: "fulfilled", value: "a" },
      { status: "fulfilled", value: "b" },
      { status: "fulfilled", value: "c" },
    ]);
  });

  it("turns a failing task into a rejected outcome and runs the others anyway", async () => {
    const outcomes = await runAll(monitor, [
      rejectsAfter(10, "disk full"),
      resolvesAfter(20, "b"),
      resolvesAfter(10, "c"),
    ]);

    expect(outcomes).toEqual([
      { status: "rejected", reason: new Error("disk full") },
      { status: "fulfilled", value: "b" },
      { status: "fulfilled", value: "c" },
    ]);
  });

  it("turns a task that throws synchronously into a rejected outcome", async () => {
    const outcomes = await runAll(monitor, [
      () => {
        throw new Error("bad input");
      },
      () => "b",
    ]);

    expect(outcomes).toEqual([
      { status: "rejected", reason: new Error("bad input") },
      { status: "fulfilled", value: "b" },
    ]);
  });

  it("resolves with an empty list when there is no task", async () => {
    await expect(runAll(monitor, [])).resolves.toEqual([]);
  });
});

describe("run(): concurrency", () => {
  it("runs at most `concurrency` tasks at once", async () => {
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(100);
      running--;
      return "done";
    };

    await runAll(monitor, [task, task, task, task, task]);

    expect(peak).toBe(2);
  });

  it("starts a waiting task as soon as any slot frees, not when a whole batch is done", async () => {
    const startedAt: number[] = [];
    const t0 = Date.now();
    const timed = (ms: number) => async () => {
      startedAt.push(Date.now() - t0);
      await sleep(ms);
      return "";
    };

    await runAll(monitor, [timed(1000), timed(100), timed(100)]);

    expect(startedAt).toEqual([0, 0, 100]);
  });

  it("finishes ten one-second tasks in one second when ten may run at once", async () => {
    const wide = new TaskMonitor<number>({ concurrency: 10 });
    const tasks = Array.from({ length: 10 }, (_, i) => resolvesAfter(1000, i));

    const run = wide.run(tasks);
    let done = false;
    void run.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1000);

    expect(done).toBe(true);
  });
});

describe("observers: the progress events", () => {
  it("announce every task as queued, in input order, before any starts", async () => {
    await runAll(monitor, [resolvesAfter(10, "a"), resolvesAfter(10, "b"), resolvesAfter(10, "c")]);

    expect(brief(events).slice(0, 4)).toEqual(["queued 0", "queued 1", "queued 2", "started 0"]);
  });

  it("tell when each task starts and ends, as it happens", async () => {
    await runAll(monitor, [resolvesAfter(10, "a"), resolvesAfter(30, "b"), resolvesAfter(10, "c")]);

    expect(brief(events)).toEqual([
      "queued 0",
      "queued 1",
      "queued 2",
      "started 0",
      "started 1",
      "finished 0",
      "started 2",
      "finished 2",
      "finished 1",
    ]);
  });

  it("carry the value of a finished task and the error of a failed one", async () => {
    await runAll(monitor, [resolvesAfter(20, "thumbnail.png"), rejectsAfter(10, "corrupt")]);

    expect(events.filter((e) => e.type === "finished" || e.type === "failed")).toEqual([
      { type: "failed", index: 1, error: new Error("corrupt") },
      { type: "finished", index: 0, value: "thumbnail.png" },
    ]);
  });

  it("reach every attached observer", async () => {
    const second: string[] = [];
    monitor.attach((event) => {
      second.push(event.type);
    });

    await runAll(monitor, [() => "a"]);

    expect(second).toEqual(["queued", "started", "finished"]);
  });
});
