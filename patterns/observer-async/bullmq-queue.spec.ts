/**
 * The BullMQ queue against a real redis-server (started by the spec on a loopback port), with its
 * worker in a child process (`bullmq-spec-worker.ts`): the in-memory queue's events in the same
 * order, retries with backoff, dead letters in BullMQ's failed set, and a job that outlives a
 * worker killed with SIGKILL in the middle of it. Nothing here races the clock: every test waits
 * for the events it expects (the timeouts are generous, for a loaded machine).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RedisService, startRedis } from "../../kata/services";
import {
  BullJobQueue,
  type BullWorker,
  type JobProgressEvent,
  startBullWorker,
} from "./bullmq-queue";
import type { SpecJob } from "./bullmq-spec-worker";
import { ClosedError, RemoteJobError } from "./errors";
import type { JobEvent } from "./job-queue";

const WAIT = 30_000;
type Event = JobEvent<SpecJob, number> | JobProgressEvent<SpecJob>;

let redis: RedisService;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  redis = await startRedis();
}, WAIT);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await redis?.stop();
});

/** A worker in a child process, once it says `ready`. */
async function spawnWorker(queue: string, mode: "hang" | "finish" = "hang"): Promise<ChildProcess> {
  const script = fileURLToPath(new URL("./bullmq-spec-worker.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, redis.url, queue, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("ready\n")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the worker exited with ${code}: ${out}`)));
  });
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

/** Every event a queue tells, by job id, and a way to wait for one. */
class Recorder {
  readonly #byId = new Map<string, Event[]>();
  #waiters: Array<() => void> = [];

  constructor(queue: BullJobQueue<SpecJob, number>) {
    const record = (event: Event) => {
      const list = this.#byId.get(event.id) ?? [];
      list.push(event);
      this.#byId.set(event.id, list);
      for (const wake of this.#waiters.splice(0)) wake();
    };
    queue.attach(record);
    queue.attachProgress(record);
  }

  of(id: string): Event[] {
    return this.#byId.get(id) ?? [];
  }

  /** Resolves with `id`'s events once one of them is of type `type`. */
  async until(id: string, type: Event["type"]): Promise<Event[]> {
    while (!this.of(id).some((e) => e.type === type)) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.of(id);
  }
}

/** The events without payloads and errors' stacks: what the assertions compare. */
const summary = (events: Event[]) =>
  events.map((event) => {
    const { payload: _payload, id: _id, ...rest } = event;
    if ("error" in rest) {
      const error = rest.error as RemoteJobError;
      return { ...rest, error: { name: error.remoteName, message: error.message } };
    }
    return rest;
  });

describe("a BullMQ queue's events, from a worker in another process", () => {
  let queue: BullJobQueue<SpecJob, number>;
  let recorder: Recorder;
  let worker: ChildProcess;

  beforeAll(async () => {
    queue = await BullJobQueue.connect<SpecJob, number>({
      connection: redis.url,
      name: "events",
      maxAttempts: 3,
    });
    recorder = new Recorder(queue);
    worker = await spawnWorker("events");
  }, WAIT);

  afterAll(async () => {
    await stop(worker);
    await queue?.close();
  }, WAIT);

  it(
    "tells enqueued, started and succeeded, with the handler's result",
    async () => {
      const id = await queue.enqueue({ value: 21 });
      expect(summary(await recorder.until(id, "succeeded"))).toEqual([
        { type: "enqueued" },
        { type: "started", attempt: 1 },
        { type: "succeeded", attempt: 1, result: 42 },
      ]);
      expect(recorder.of(id)[0]).toMatchObject({ payload: { value: 21 } });
    },
    WAIT,
  );

  it(
    "tells each failed attempt as retrying with its backoff delay, then the success",
    async () => {
      const id = await queue.enqueue({ value: 1, fail: 2 });
      expect(summary(await recorder.until(id, "succeeded"))).toEqual([
        { type: "enqueued" },
        { type: "started", attempt: 1 },
        {
          type: "retrying",
          attempt: 1,
          delay: 20,
          error: { name: "Error", message: "failure 1" },
        },
        { type: "started", attempt: 2 },
        {
          type: "retrying",
          attempt: 2,
          delay: 40,
          error: { name: "Error", message: "failure 2" },
        },
        { type: "started", attempt: 3 },
        { type: "succeeded", attempt: 3, result: 2 },
      ]);
    },
    WAIT,
  );

  it(
    "dead-letters a job that fails every attempt: BullMQ's failed set holds it",
    async () => {
      const id = await queue.enqueue({ value: 1, fail: 99 });
      const events = await recorder.until(id, "dead");
      expect(summary(events).map((e) => e.type)).toEqual([
        "enqueued",
        "started",
        "retrying",
        "started",
        "retrying",
        "started",
        "dead",
      ]);
      const dead = events.at(-1);
      expect(summary([dead as Event])[0]).toEqual({
        type: "dead",
        attempts: 3,
        error: { name: "Error", message: "failure 3" },
      });
      expect((dead as { error: unknown }).error).toBeInstanceOf(RemoteJobError);
      // The dead event is sent before BullMQ moves the job: wait for the move.
      let letters = await queue.deadLetters();
      while (!letters.some((l) => l.id === id)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        letters = await queue.deadLetters();
      }
      expect(letters.find((l) => l.id === id)).toMatchObject({
        payload: { value: 1, fail: 99 },
        attempts: 3,
      });
    },
    WAIT,
  );

  it(
    "dead-letters a failure the worker does not retry at once, with its original name",
    async () => {
      const id = await queue.enqueue({ value: 1, permanent: true });
      expect(summary(await recorder.until(id, "dead"))).toEqual([
        { type: "enqueued" },
        { type: "started", attempt: 1 },
        {
          type: "dead",
          attempts: 1,
          error: { name: "PermanentError", message: "no such mailbox (attempt 1)" },
        },
      ]);
    },
    WAIT,
  );

  it(
    "tells the handler's progress reports to progress observers, between started and succeeded",
    async () => {
      const id = await queue.enqueue({ value: 5, progress: [25, 50, 100] });
      expect(summary(await recorder.until(id, "succeeded"))).toEqual([
        { type: "enqueued" },
        { type: "started", attempt: 1 },
        { type: "progress", attempt: 1, progress: 25 },
        { type: "progress", attempt: 1, progress: 50 },
        { type: "progress", attempt: 1, progress: 100 },
        { type: "succeeded", attempt: 1, result: 10 },
      ]);
    },
    WAIT,
  );

  it(
    "counts jobs by state from Redis",
    async () => {
      const id = await queue.enqueue({ value: 3 });
      await recorder.until(id, "succeeded");
      let counts = await queue.counts();
      while (counts.completed < 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        counts = await queue.counts();
      }
      expect(counts).toMatchObject({ waiting: 0, delayed: 0 });
      expect(counts.failed).toBeGreaterThanOrEqual(0);
    },
    WAIT,
  );
});

describe("a worker killed in the middle of a job", () => {
  let queue: BullJobQueue<SpecJob, number>;
  let killed: ChildProcess | undefined;
  let finisher: BullWorker | undefined;

  afterEach(async () => {
    if (killed) await stop(killed, "SIGKILL");
    await finisher?.close();
    await queue?.close();
  }, WAIT);

  it(
    "leaves the job to another worker, which runs it again from the start (at least once)",
    async () => {
      queue = await BullJobQueue.connect<SpecJob, number>({ connection: redis.url, name: "stall" });
      const recorder = new Recorder(queue);
      const first = await spawnWorker("stall", "hang");
      killed = first;
      const hanging = new Promise<string>((resolve) => {
        first.stdout?.on("data", (chunk: string) => {
          const match = /hanging (\S+)/.exec(chunk);
          if (match) resolve(match[1] as string);
        });
      });

      const id = await queue.enqueue({ value: 4, hang: true });
      expect(await hanging).toBe(id);
      await stop(first, "SIGKILL");
      // The other worker, in this process: its stalled-job check finds the job's lock expired
      // and puts the job back in the queue, and it takes it.
      finisher = await startBullWorker<SpecJob, number>({
        connection: redis.url,
        name: "stall",
        handler: (job) => job.value * 2,
        lockDuration: 1_000,
        stalledInterval: 500,
      });

      expect(summary(await recorder.until(id, "succeeded"))).toEqual([
        { type: "enqueued" },
        { type: "started", attempt: 1 },
        // The crash is not a failed attempt: the same attempt starts again on the other worker.
        { type: "started", attempt: 1 },
        { type: "succeeded", attempt: 1, result: 8 },
      ]);
    },
    WAIT * 2,
  );
});

describe("bad options and bad calls", () => {
  it("refuses a connection that is not a Redis URL, naming it", async () => {
    await expect(BullJobQueue.connect({ connection: "localhost:6379" })).rejects.toEqual(
      new TypeError('`connection` must be a redis:// or rediss:// URL, got "localhost:6379"'),
    );
  });

  it("refuses a queue name BullMQ cannot use, naming it", async () => {
    await expect(BullJobQueue.connect({ connection: redis.url, name: "a:b" })).rejects.toEqual(
      new TypeError('`name` must be a queue name of letters, digits, -, _ and ., got "a:b"'),
    );
  });

  it("refuses a number of attempts below 1 with a RangeError", async () => {
    await expect(BullJobQueue.connect({ connection: redis.url, maxAttempts: 0 })).rejects.toEqual(
      new RangeError("`maxAttempts` must be a whole number of at least 1, got 0"),
    );
  });

  it("refuses a worker without a handler, and bad backoff options, before connecting", async () => {
    await expect(
      startBullWorker({ connection: redis.url, handler: undefined as never }),
    ).rejects.toEqual(new TypeError("`handler` must be a function, got undefined"));
    await expect(
      startBullWorker({ connection: redis.url, handler: () => 1, backoff: { factor: 0.5 } }),
    ).rejects.toEqual(
      new RangeError("`backoff.factor` must be a finite number of at least 1, got 0.5"),
    );
    await expect(
      startBullWorker({ connection: redis.url, handler: () => 1, lockDuration: 0 }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it(
    "refuses a payload JSON cannot carry, and enqueue() after close()",
    async () => {
      const queue = await BullJobQueue.connect<unknown>({ connection: redis.url, name: "bad" });
      await expect(queue.enqueue({ n: 1n })).rejects.toBeInstanceOf(TypeError);
      await expect(queue.enqueue(undefined)).rejects.toEqual(
        new TypeError("`payload` must be JSON-serialisable, got undefined"),
      );
      await queue.close();
      await expect(queue.enqueue(1)).rejects.toEqual(new ClosedError("job queue"));
    },
    WAIT,
  );
});
