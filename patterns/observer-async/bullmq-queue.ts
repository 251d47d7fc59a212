/**
 * The job queue beyond one process: the same observer events as {@link JobQueue} (`enqueued`,
 * `started`, `succeeded`, `retrying`, `dead`, and `progress` beside them) over BullMQ, Redis's
 * job queue, with workers in other processes — Celery's `.delay()` and its workers, in
 * TypeScript. A producer ({@link BullJobQueue}) enqueues and observes; workers
 * ({@link startBullWorker}) run the handler, retry with the pattern's exponential backoff
 * ({@link backoffDelay}), and pick up a job whose worker died (BullMQ's stalled-job check).
 *
 * What the network changes, next to the in-memory queue:
 *
 * - `enqueue()` resolves once Redis holds the job (a promise, not an id at once);
 * - delivery is **at least once**: a worker killed mid-job leaves its lock to expire, and another
 *   worker runs the job again from the start, so a handler must be idempotent (`job.id` is the
 *   key to deduplicate by). The observers see a second `started` with the same attempt number:
 *   a crash is not the job's failure (BullMQ counts it apart, up to `maxStalledCount`);
 * - "dead-lettered" is BullMQ's **failed** set: a job that failed its `attempts`, or whose error
 *   was not `retryable` (thrown on as BullMQ's `UnrecoverableError`);
 * - payloads and results travel as JSON, and errors as {@link RemoteJobError}s (name, message,
 *   stack): they cannot cross a process as objects.
 *
 * The events themselves travel in a Redis stream beside the queue's keys, written by whoever
 * saw them happen (the producer for `enqueued`, the worker for the rest), so every observer of
 * every producer sees each job's events in the order they happened. BullMQ's own `QueueEvents`
 * stream says what moved where, but not the attempt number, the error or the backoff delay.
 *
 * One Redis client in the tree: ioredis, the one BullMQ is built on (and the one the Redis
 * broker and the event log use), so nothing here pulls in a second client.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { type Job, type MinimalJob, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { type AsyncObservable, type AsyncObserver, AsyncSubject } from "./async-subject";
import { attempt } from "./attempt";
import { ClosedError, RemoteJobError } from "./errors";
import {
  badArgument,
  checkCount,
  checkDuration,
  describeError,
  log,
  optionsObject,
  reportUnpublished,
} from "./internal";
import {
  type BackoffOptions,
  backoffDelay,
  type DeadLetter,
  type JobContext,
  type JobEvent,
} from "./job-queue";

// ─── Public types ────────────────────────────────────────────────────────────────────────────

/**
 * A handler's report of how far a job has got (`job.progress(50)`), told to progress observers.
 *
 * @example
 * ```ts
 * queue.attachProgress((e) => bar.update(e.id, typeof e.progress === "number" ? e.progress : 0));
 * ```
 */
export interface JobProgressEvent<P> {
  readonly type: "progress";
  readonly id: string;
  readonly payload: P;
  readonly attempt: number;
  /** What the handler reported: a percentage, or any JSON object. */
  readonly progress: number | object;
}

/**
 * What a BullMQ worker's handler knows about the job it runs: the in-memory queue's
 * {@link JobContext}, so one handler serves both, and a way to report progress.
 *
 * @example
 * ```ts
 * const handler = async (file: string, job: BullJobContext) => {
 *   for (const [i, chunk] of chunks(file).entries()) {
 *     await upload(chunk, { signal: job.signal });
 *     await job.progress(Math.round((100 * (i + 1)) / count));
 *   }
 * };
 * ```
 */
export interface BullJobContext extends JobContext {
  /** Stores the job's progress in Redis and tells the progress observers. */
  progress(value: number | object): Promise<void>;
}

/**
 * Where a BullMQ queue lives: shared by the producer and its workers.
 *
 * @example
 * ```ts
 * const where: BullQueueLocation = { connection: "redis://127.0.0.1:6379", name: "emails" };
 * ```
 */
export interface BullQueueLocation {
  /** A `redis://` or `rediss://` URL. */
  readonly connection: string;
  /** The queue's name (default `"jobs"`): letters, digits, `-`, `_` and `.`. */
  readonly name?: string;
  /** The prefix of every key (default BullMQ's `"bull"`). */
  readonly prefix?: string;
}

/**
 * How a producer enqueues.
 *
 * @example
 * ```ts
 * const queue = await BullJobQueue.connect<Email, string>({
 *   connection: "redis://127.0.0.1:6379",
 *   name: "emails",
 *   maxAttempts: 5,
 * });
 * ```
 */
export interface BullJobQueueOptions<P, R> extends BullQueueLocation {
  /** Attempts per job, the first included (default 3): stored with each job (`attempts`). */
  readonly maxAttempts?: number;
  /** Failed jobs kept in BullMQ's failed set, the dead letters (default 1 000). */
  readonly maxDeadLetters?: number;
  /** The error channel for observers that fail (default `console.error`). */
  readonly onError?: (error: AggregateError, event: JobEvent<P, R> | JobProgressEvent<P>) => void;
}

/**
 * How a worker runs jobs: the in-memory queue's handler options, and BullMQ's lock and
 * stalled-job settings.
 *
 * @example
 * ```ts
 * const worker = await startBullWorker<Email, string>({
 *   connection: "redis://127.0.0.1:6379",
 *   name: "emails",
 *   handler: (email, job) => smtp.send(email, { signal: job.signal }),
 *   concurrency: 4,
 *   backoff: { initialDelay: 1_000, jitter: "full" },
 * });
 * ```
 */
export interface BullWorkerOptions<P, R> extends BullQueueLocation {
  /** Does the work. A throw or a rejection fails the attempt. The result must be JSON. */
  readonly handler: (payload: P, job: BullJobContext) => R | PromiseLike<R>;
  /** How many jobs this worker runs at once (default 1). */
  readonly concurrency?: number;
  /** The delay before each retry, as in the in-memory queue (BullMQ asks the worker). */
  readonly backoff?: BackoffOptions;
  /** Milliseconds an attempt may take before it fails with a `TimeoutError`. */
  readonly timeout?: number;
  /** Whether a failure is worth retrying (default: always); `false` dead-letters the job. */
  readonly retryable?: (error: unknown, attempt: number) => boolean;
  /**
   * How long a job's lock lasts without renewal (default 30 000 ms; the worker renews it at
   * half that while it runs). A worker that dies holds its jobs this long at most.
   */
  readonly lockDuration?: number;
  /** How often this worker looks for jobs whose lock expired (default 30 000 ms). */
  readonly stalledInterval?: number;
  /** How many times a job may be found stalled before it fails (default 1). */
  readonly maxStalledCount?: number;
}

/**
 * How many jobs are where, as BullMQ counts them.
 *
 * @example
 * ```ts
 * const { waiting, active, delayed } = await queue.counts();
 * ```
 */
export interface BullJobCounts {
  readonly waiting: number;
  /** Running on a worker (BullMQ's "active"). */
  readonly active: number;
  /** Waiting for their backoff delay. */
  readonly delayed: number;
  /** Succeeded and still kept. */
  readonly completed: number;
  /** The dead letters kept. */
  readonly failed: number;
}

/**
 * A running worker.
 *
 * @example
 * ```ts
 * process.on("SIGTERM", () => void worker.close());
 * ```
 */
export interface BullWorker {
  /** Stops taking jobs, waits for the running ones to end, and disconnects. */
  close(): Promise<void>;
}

// ─── Shared by both ends ─────────────────────────────────────────────────────────────────────

/** An error as it crosses the process boundary. */
interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

type Wire =
  | { readonly type: "enqueued"; readonly id: string; readonly payload: unknown }
  | {
      readonly type: "started";
      readonly id: string;
      readonly payload: unknown;
      readonly attempt: number;
    }
  | {
      readonly type: "succeeded";
      readonly id: string;
      readonly payload: unknown;
      readonly attempt: number;
      readonly result: unknown;
    }
  | {
      readonly type: "retrying";
      readonly id: string;
      readonly payload: unknown;
      readonly attempt: number;
      readonly error: WireError;
      readonly delay: number;
    }
  | {
      readonly type: "dead";
      readonly id: string;
      readonly payload: unknown;
      readonly attempts: number;
      readonly error: WireError;
    }
  | {
      readonly type: "progress";
      readonly id: string;
      readonly payload: unknown;
      readonly attempt: number;
      readonly progress: number | object;
    };

/** The backoff strategy's name in each job's options (BullMQ calls the worker's strategy). */
const BACKOFF_TYPE = "observer-async";
/** Events kept in the stream for late readers; older ones are trimmed (`MAXLEN ~`). */
const STREAM_LENGTH = 10_000;

interface Location {
  readonly connection: string;
  readonly name: string;
  readonly prefix: string;
  /** The events stream's key. */
  readonly stream: string;
}

function checkLocation(options: BullQueueLocation): Location {
  const { connection } = options;
  if (typeof connection !== "string" || !/^rediss?:\/\/./.test(connection)) {
    throw badArgument("connection", "a redis:// or rediss:// URL", connection);
  }
  const name = options.name ?? "jobs";
  if (typeof name !== "string" || !/^[\w.-]+$/.test(name)) {
    throw badArgument("name", "a queue name of letters, digits, -, _ and .", name);
  }
  const prefix = options.prefix ?? "bull";
  if (typeof prefix !== "string" || !/^[\w.-]+$/.test(prefix)) {
    throw badArgument("prefix", "a key prefix of letters, digits, -, _ and .", prefix);
  }
  return { connection, name, prefix, stream: `${prefix}:${name}:observer-events` };
}

function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    const { name, stack } = error;
    return stack === undefined
      ? { name, message: describeError(error) }
      : { name, message: describeError(error), stack };
  }
  return { name: "Error", message: describeError(error) };
}

/** An error of BullMQ's stored stacktraces (`"TypeError: bad\n    at …"`), revived. */
function fromStack(stack: string): RemoteJobError {
  const [, name = "Error", message = stack] = /^([\w$]+): (.*)/.exec(stack) ?? [];
  return new RemoteJobError(name, message, stack);
}

function fromWire<P, R>(wire: Wire): JobEvent<P, R> | JobProgressEvent<P> {
  const revive = (e: WireError) => new RemoteJobError(e.name, e.message, e.stack);
  switch (wire.type) {
    case "retrying":
    case "dead":
      return { ...wire, error: revive(wire.error) } as JobEvent<P, R>;
    default:
      return wire as JobEvent<P, R> | JobProgressEvent<P>;
  }
}

/** `value` as JSON, or a TypeError naming `name` when JSON cannot carry it. */
function json(name: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw badArgument(name, `JSON-serialisable (${describeError(error)})`, value);
  }
  if (text === undefined) throw badArgument(name, "JSON-serialisable", value);
  return text;
}

async function append(redis: Redis, stream: string, wire: Wire): Promise<void> {
  await redis.xadd(stream, "MAXLEN", "~", STREAM_LENGTH, "*", "e", json("payload", wire));
}

// ─── The producer ────────────────────────────────────────────────────────────────────────────

/**
 * The producer's side of a BullMQ queue: enqueues jobs and tells its observers every job's
 * events, whichever worker ran it. The observers are {@link JobQueue}'s: one observer serves
 * both queues.
 *
 * @example
 * ```ts
 * const queue = await BullJobQueue.connect<Email, string>({ connection: url, name: "emails" });
 * queue.attach((event) => console.log(event.type, event.id));
 * const id = await queue.enqueue({ to: "ada@example.com", subject: "Hello" });
 * // …a worker in another process: startBullWorker({ connection: url, name: "emails", handler })
 * await queue.close();
 * ```
 */
export class BullJobQueue<P, R = unknown> {
  /** The queue's name in Redis. */
  readonly name: string;
  readonly #location: Location;
  readonly #queue: Queue;
  readonly #redis: Redis;
  readonly #reader: Redis;
  readonly #maxAttempts: number;
  readonly #maxDeadLetters: number;
  readonly #onError: BullJobQueueOptions<P, R>["onError"];
  readonly #events: AsyncSubject<JobEvent<P, R>>;
  readonly #progress: AsyncSubject<JobProgressEvent<P>>;
  #last = "0-0";
  #closed = false;
  #reading: Promise<void> = Promise.resolve();

  private constructor(location: Location, options: BullJobQueueOptions<P, R>) {
    this.#location = location;
    this.name = location.name;
    this.#maxAttempts = checkCount("maxAttempts", options.maxAttempts ?? 3, 1);
    this.#maxDeadLetters = checkCount("maxDeadLetters", options.maxDeadLetters ?? 1_000, 0);
    if (options.onError !== undefined && typeof options.onError !== "function") {
      throw badArgument("onError", "a function", options.onError);
    }
    this.#onError = options.onError;
    const subjectOptions = options.onError === undefined ? {} : { onError: options.onError };
    this.#events = new AsyncSubject<JobEvent<P, R>>(subjectOptions);
    this.#progress = new AsyncSubject<JobProgressEvent<P>>(subjectOptions);
    // BullMQ and the events stream read replies in their legacy shapes. The type argument names
    // the mode too: inferred, it costs the compiler seconds comparing instantiations of Redis.
    this.#redis = new Redis<"legacy">(location.connection, {
      lazyConnect: true,
      replyMapping: "legacy",
    });
    // XREAD BLOCK holds its connection: the reader gets one of its own.
    this.#reader = new Redis<"legacy">(location.connection, {
      lazyConnect: true,
      replyMapping: "legacy",
    });
    this.#queue = new Queue(location.name, {
      connection: this.#redis,
      prefix: location.prefix,
    });
  }

  /**
   * Connects to Redis and starts listening; observers see the events from then on. Bad options
   * are refused before any connection, each with a TypeError or RangeError naming it.
   */
  static async connect<P, R = unknown>(
    options: BullJobQueueOptions<P, R>,
  ): Promise<BullJobQueue<P, R>> {
    const location = checkLocation(optionsObject<BullJobQueueOptions<P, R>>(options));
    const queue = new BullJobQueue<P, R>(location, options);
    try {
      await Promise.all([queue.#queue.waitUntilReady(), queue.#reader.connect()]);
      // From the newest event on: a new producer does not replay the stream's history.
      const [newest] = await queue.#redis.xrevrange(location.stream, "+", "-", "COUNT", 1);
      if (newest) queue.#last = newest[0];
    } catch (error) {
      queue.#redis.disconnect();
      queue.#reader.disconnect();
      throw error;
    }
    queue.#reading = queue.#read();
    return queue;
  }

  /** The job events, to attach to or iterate (`for await (const e of queue.events)`). */
  get events(): AsyncObservable<JobEvent<P, R>> {
    return this.#events;
  }

  /** Attaches an observer to the job events; returns a detach function. */
  attach(observer: AsyncObserver<JobEvent<P, R>>): () => void {
    return this.#events.attach(observer);
  }

  /**
   * Attaches an observer to the handlers' progress reports; returns a detach function. Apart
   * from {@link attach} so that an observer of the in-memory queue's events serves this one too.
   */
  attachProgress(observer: AsyncObserver<JobProgressEvent<P>>): () => void {
    return this.#progress.attach(observer);
  }

  // #region bull-enqueue
  /**
   * Adds a job to the queue and resolves with its id once Redis holds it. The payload must be
   * JSON (a TypeError naming `payload` otherwise); rejects with {@link ClosedError} after
   * `close()`.
   */
  async enqueue(payload: P): Promise<string> {
    if (this.#closed) throw new ClosedError("job queue");
    json("payload", payload);
    const id = randomUUID();
    // The event first: a worker may start the job the moment it is added, and its `started`
    // must come after this `enqueued` in the stream.
    await append(this.#redis, this.#location.stream, { type: "enqueued", id, payload });
    await this.#queue.add("job", payload, {
      jobId: id,
      attempts: this.#maxAttempts,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: this.#maxDeadLetters },
    });
    return id;
  }
  // #endregion bull-enqueue

  /** How many jobs are waiting, running, delayed, completed and failed (dead), from Redis. */
  async counts(): Promise<BullJobCounts> {
    const counts = await this.#queue.getJobCounts(
      "waiting",
      "active",
      "delayed",
      "completed",
      "failed",
    );
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** The dead letters: BullMQ's failed set, newest first, with every attempt's error. */
  async deadLetters(): Promise<DeadLetter<P>[]> {
    const jobs: Job[] = await this.#queue.getFailed();
    return jobs.map((job) =>
      Object.freeze({
        id: String(job.id),
        payload: job.data as P,
        attempts: job.attemptsMade,
        errors: Object.freeze((job.stacktrace ?? []).map(fromStack)),
      }),
    );
  }

  /**
   * Stops listening and disconnects, once every observer has seen every event read so far.
   * Jobs already in Redis stay there for the workers.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader.disconnect(); // ends a pending XREAD BLOCK
    await this.#reading;
    await Promise.all([this.#events.idle(), this.#progress.idle()]);
    await this.#queue.close();
    await this.#redis.quit();
  }

  /** Reads the events stream until closed, and tells each event to its observers. */
  async #read(): Promise<void> {
    while (!this.#closed) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await this.#reader.xread(
          "COUNT",
          256,
          "BLOCK",
          0,
          "STREAMS",
          this.#location.stream,
          this.#last,
        )) as [string, [string, string[]][]][] | null;
      } catch (error) {
        if (this.#closed) return;
        // Redis went away: ioredis reconnects; read again from the last event seen.
        log("BullJobQueue: reading the events stream failed, retrying:", error);
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          this.#last = id;
          const text = fields[fields.indexOf("e") + 1];
          if (text !== undefined) this.#publish(fromWire<P, R>(JSON.parse(text) as Wire));
        }
      }
    }
  }

  #publish(event: JobEvent<P, R> | JobProgressEvent<P>): void {
    const frozen = Object.freeze(event);
    try {
      if (frozen.type === "progress") this.#progress.publish(frozen);
      else this.#events.publish(frozen);
    } catch (error) {
      reportUnpublished(this.#onError, error, frozen);
    }
  }
}

// ─── The worker ──────────────────────────────────────────────────────────────────────────────

/**
 * Starts a worker on a BullMQ queue, in this process, and resolves once it is connected. Each
 * attempt tells the producers' observers `started`, then `succeeded`, `retrying` (with the
 * backoff delay) or `dead`. Bad options are refused before any connection, each with a
 * TypeError or RangeError naming it.
 *
 * @example
 * ```ts
 * // worker.ts, run as many times as you want workers: node --import tsx worker.ts
 * const worker = await startBullWorker<Email, string>({ connection: url, name: "emails", handler: send });
 * process.on("SIGTERM", () => void worker.close());
 * ```
 */
export async function startBullWorker<P, R = unknown>(
  options: BullWorkerOptions<P, R>,
): Promise<BullWorker> {
  const location = checkLocation(optionsObject<BullWorkerOptions<P, R>>(options));
  const { handler } = options;
  if (typeof handler !== "function") throw badArgument("handler", "a function", handler);
  const concurrency = checkCount("concurrency", options.concurrency ?? 1, 1);
  const timeout =
    options.timeout === undefined ? undefined : checkDuration("timeout", options.timeout);
  const lockDuration = checkDuration("lockDuration", options.lockDuration ?? 30_000);
  const stalledInterval = checkDuration("stalledInterval", options.stalledInterval ?? 30_000);
  const maxStalledCount = checkCount("maxStalledCount", options.maxStalledCount ?? 1, 0);
  if (options.retryable !== undefined && typeof options.retryable !== "function") {
    throw badArgument("retryable", "a function", options.retryable);
  }
  const retryable = options.retryable ?? (() => true);
  const backoff = options.backoff;
  backoffDelay(1, backoff); // refuses bad backoff options now, by name, not at the first retry

  // The delay chosen when the attempt failed, for BullMQ's backoff strategy to return: the one
  // the observers were told, jitter included.
  const delays = new Map<string, number>();
  const redis = new Redis<"legacy">(location.connection, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    replyMapping: "legacy",
  });
  await redis.connect();
  const emit = (wire: Wire) => append(redis, location.stream, wire);

  // #region bull-process
  const run = async (job: Job<P, R>, _token?: string, signal?: AbortSignal): Promise<R> => {
    const id = String(job.id);
    const payload = job.data;
    // BullMQ counts failed attempts; a stalled run that was moved back is not one of them.
    const number = job.attemptsMade + 1;
    await emit({ type: "started", id, payload, attempt: number });
    try {
      const result = await attempt(
        (aborted) =>
          handler(payload, {
            id,
            attempt: number,
            signal: aborted,
            progress: async (progress) => {
              await job.updateProgress(progress);
              await emit({ type: "progress", id, payload, attempt: number, progress });
            },
          }),
        { timeout, label: `job ${id}`, signal },
      );
      await emit({ type: "succeeded", id, payload, attempt: number, result });
      return result;
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      let retry = number < attempts;
      if (retry) {
        try {
          retry = retryable(error, number) === true;
        } catch {
          retry = false; // a predicate that throws counts as "no", as in the in-memory queue
        }
      }
      if (!retry) {
        await emit({ type: "dead", id, payload, attempts: number, error: toWireError(error) });
        // BullMQ would retry while attempts remain; UnrecoverableError says "no more".
        throw number < attempts ? new UnrecoverableError(describeError(error)) : error;
      }
      const delay = backoffDelay(number, backoff);
      delays.set(id, delay);
      await emit({
        type: "retrying",
        id,
        payload,
        attempt: number,
        error: toWireError(error),
        delay,
      });
      throw error;
    }
  };
  // #endregion bull-process

  // BullMQ duplicates this connection for its blocking reads, and leaves closing it to us.
  const connection = new Redis<"legacy">(location.connection, {
    maxRetriesPerRequest: null,
    replyMapping: "legacy",
  });
  const worker = new Worker<P, R>(location.name, run, {
    connection,
    prefix: location.prefix,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, _error?: Error, job?: MinimalJob) => {
        const id = String(job?.id);
        const delay = delays.get(id) ?? backoffDelay(attemptsMade, backoff);
        delays.delete(id);
        return delay;
      },
    },
  });
  // A worker without an 'error' listener would crash the process on a lost connection.
  worker.on("error", (error) => log("BullJobQueue worker:", error));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await Promise.all([redis.quit(), connection.quit()]);
    },
  };
}
