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

  it("keeps each failure's very reason, whatever was thrown", async () => {
    const boom = new Error("disk full");
    const thrown: unknown[] = [boom, undefined, null, 0, "", "plain string"];
    const wide = new TaskMonitor<string>({ concurrency: 2 });

    const outcomes = await runAll(
      wide,
      thrown.map((reason, i) =>
        i % 2 === 0
          ? () => {
              throw reason;
            }
          : () => Promise.reject(reason),
      ),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(thrown.map(() => "rejected"));
    outcomes.forEach((outcome, i) => {
      expect(Object.is((outcome as PromiseRejectedResult).reason, thrown[i])).toBe(true);
    });
  });

  it("counts a task that resolves with an Error object as fulfilled", async () => {
    const value = new Error("a value, not a failure");
    const errors = new TaskMonitor<Error>({ concurrency: 1 });

    const outcomes = await runAll(errors, [async () => value]);

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("fulfilled");
    expect((outcomes[0] as PromiseFulfilledResult<Error>).value).toBe(value);
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

describe("run(): one monitor, several runs", () => {
  it("runs again from the first task on a second run", async () => {
    const first = await runAll(monitor, [() => "a", () => "b"]);
    const second = await runAll(monitor, [() => "c", () => "d"]);

    expect(first).toEqual([
      { status: "fulfilled", value: "a" },
      { status: "fulfilled", value: "b" },
    ]);
    expect(second).toEqual([
      { status: "fulfilled", value: "c" },
      { status: "fulfilled", value: "d" },
    ]);
  });

  it("keeps two overlapping runs apart: each runs its own tasks once and gets its own outcomes", async () => {
    const calls: string[] = [];
    const task = (name: string, ms: number) => async () => {
      calls.push(name);
      await sleep(ms);
      return name;
    };

    const first = monitor.run([task("a0", 100), task("a1", 100), task("a2", 100)]);
    const second = monitor.run([task("b0", 50), task("b1", 50), task("b2", 50)]);
    first.catch(() => {});
    second.catch(() => {});
    await vi.advanceTimersByTimeAsync(10_000);

    expect(await first).toEqual(
      ["a0", "a1", "a2"].map((value) => ({ status: "fulfilled", value })),
    );
    expect(await second).toEqual(
      ["b0", "b1", "b2"].map((value) => ({ status: "fulfilled", value })),
    );
    expect(calls.sort()).toEqual(["a0", "a1", "a2", "b0", "b1", "b2"]);
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
    const failed = events.find((e) => e.type === "failed");
    expect(failed?.type === "failed" && failed.error).toBeInstanceOf(Error);
  });

  it("announce a task as started before it is called", async () => {
    const seenByTask: string[][] = [];
    const task = () => {
      seenByTask.push(brief(events));
      return "done";
    };

    await runAll(monitor, [task]);

    expect(seenByTask).toEqual([["queued 0", "started 0"]]);
  });

  it("carry the very value and error, whatever was thrown", async () => {
    const value = { file: "thumbnail.png" };
    const objects = new TaskMonitor<object>({ concurrency: 2 });
    const seen: TaskEvent<object>[] = [];
    objects.attach((event) => {
      seen.push(event);
    });

    const boom = new Error("corrupt");
    await runAll(objects, [
      async () => value,
      () => Promise.reject(undefined),
      () => Promise.reject(boom),
    ]);

    const finished = seen.find((e) => e.type === "finished");
    const failed = seen.filter((e) => e.type === "failed");
    expect(finished).toEqual({ type: "finished", index: 0, value });
    expect(finished?.type === "finished" && finished.value).toBe(value);
    expect(failed).toEqual([
      { type: "failed", index: 1, error: undefined },
      { type: "failed", index: 2, error: boom },
    ]);
    expect("error" in (failed[0] ?? {})).toBe(true);
    expect(failed[1]?.type === "failed" && failed[1].error).toBe(boom);
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
