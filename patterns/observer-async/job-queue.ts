/**
 * The job queue: `enqueue()` hands work to background workers and returns an id at once, like
 * Celery's `task.delay()` or a gevent background queue. Failed attempts are retried with
 * exponential backoff; a job that keeps failing ends in the dead-letter list; observers see every
 * step. Nothing is silently lost: each accepted job ends as `succeeded` or `dead`.
 */

import { type AsyncObservable, type AsyncObserver, AsyncSubject } from "./async-subject";
import { attempt } from "./attempt";
import { ClosedError, QueueFullError } from "./errors";
import {
  badArgument,
  checkCount,
  checkDuration,
  describe,
  MAX_DELAY,
  optionsObject,
  reportUnpublished,
} from "./internal";

// ─── Public types ────────────────────────────────────────────────────────────────────────────

/**
 * Exponential backoff: the delay before retry `n` is `initialDelay × factor^(n-1)`, at most
 * `maxDelay`. With `jitter: "full"` the delay is a random amount up to that, so that many
 * clients failing together do not retry together.
 *
 * @example
 * ```ts
 * const backoff: BackoffOptions = { initialDelay: 500, factor: 2, maxDelay: 60_000, jitter: "full" };
 * ```
 */
export interface BackoffOptions {
  /** Milliseconds before the first retry (default 100): above 0, at most 2^31 − 1. */
  readonly initialDelay?: number;
  /** Growth per retry (default 2): a finite number of at least 1. */
  readonly factor?: number;
  /** Upper bound in milliseconds (default 30 000): above 0, at most 2^31 − 1. */
  readonly maxDelay?: number;
  /** `"none"` (default) or `"full"`: a random delay between 0 and the computed one. */
  readonly jitter?: "none" | "full";
  /**
   * The random source for jitter, in [0, 1) (default `Math.random`; inject one in tests). A
   * number outside [0, 1) is refused with a RangeError naming `backoff.random()`.
   */
  readonly random?: () => number;
}

/**
 * What a handler knows about the job it runs.
 *
 * @example
 * ```ts
 * const handler = async (email: Email, job: JobContext) => {
 *   await smtp.send(email, { signal: job.signal, idempotencyKey: job.id });
 * };
 * ```
 */
export interface JobContext {
  readonly id: string;
  /** 1 for the first attempt, 2 for the first retry… */
  readonly attempt: number;
  /** Aborts when the attempt times out. */
  readonly signal: AbortSignal;
}

// #region job-event
/**
 * What a job queue tells its observers. Every job sends `enqueued`, then per attempt `started`
 * and then `succeeded`, `retrying` (with the delay before the next attempt) or `dead` (moved to
 * the dead-letter list). Events are frozen.
 *
 * @example
 * ```ts
 * queue.attach((event) => {
 *   if (event.type === "dead") alerts.page(`job ${event.id} failed ${event.attempts} times`);
 * });
 * ```
 */
export type JobEvent<P, R> =
  | { readonly type: "enqueued"; readonly id: string; readonly payload: P }
  | { readonly type: "started"; readonly id: string; readonly payload: P; readonly attempt: number }
  | {
      readonly type: "succeeded";
      readonly id: string;
      readonly payload: P;
      readonly attempt: number;
      readonly result: R;
    }
  | {
      readonly type: "retrying";
      readonly id: string;
      readonly payload: P;
      readonly attempt: number;
      readonly error: unknown;
      /** Milliseconds until the next attempt. */
      readonly delay: number;
    }
  | {
      readonly type: "dead";
      readonly id: string;
      readonly payload: P;
      readonly attempts: number;
      readonly error: unknown;
    };
// #endregion job-event

/**
 * A job that failed every attempt, kept for inspection and `retryDead()`.
 *
 * @example
 * ```ts
 * for (const letter of queue.deadLetters) console.error(letter.id, letter.errors.at(-1));
 * ```
 */
export interface DeadLetter<P> {
  readonly id: string;
  readonly payload: P;
  readonly attempts: number;
  /** One error per attempt, oldest first. */
  readonly errors: readonly unknown[];
}

/**
 * How a job queue runs its jobs.
 *
 * @example
 * ```ts
 * const emails = new JobQueue<Email, void>({
 *   handler: (email, job) => smtp.send(email, { signal: job.signal }),
 *   concurrency: 4,
 *   maxAttempts: 5,
 *   backoff: { initialDelay: 1_000, jitter: "full" },
 *   timeout: 10_000,
 * });
 * ```
 */
export interface JobQueueOptions<P, R> {
  /** Does the work. A throw or a rejection fails the attempt. */
  readonly handler: (payload: P, job: JobContext) => R | PromiseLike<R>;
  /** How many jobs run at once (default 1). */
  readonly concurrency?: number;
  /** Attempts per job, the first included (default 3, as BullMQ's `attempts`). */
  readonly maxAttempts?: number;
  /** Backoff options, or a function from the failed attempt's number to a delay in ms. */
  readonly backoff?: BackoffOptions | ((attempt: number) => number);
  /**
   * Milliseconds an attempt may take before it fails with a `TimeoutError` and its signal
   * aborts: above 0 and at most 2^31 − 1 (about 24.8 days), the longest a timer can wait. JavaScript cannot stop a function from outside: a handler should pass `job.signal`
   * on (to `fetch`, a driver…) or check it, or it keeps running beside its own retry.
   */
  readonly timeout?: number;
  /**
   * Whether a failed attempt is worth retrying (default: always). Return `false` for permanent
   * failures (a validation error, an HTTP 4xx, an SMTP 550): the job goes straight to the dead
   * letters instead of waiting through every backoff delay in vain.
   */
  readonly retryable?: (error: unknown, attempt: number) => boolean;
  /** How many accepted, unfinished jobs the queue holds at most (default 10 000). */
  readonly maxQueue?: number;
  /**
   * How many dead letters the queue keeps (default 1 000; `Infinity` for all, 0 for none).
   * When one more arrives, the oldest is dropped and counted in `stats.deadDropped`: a queue
   * that runs for months must not grow without bound because a downstream service is down.
   * Every dead job is still told to observers as a `dead` event.
   */
  readonly maxDeadLetters?: number;
  /** The error channel for observers that fail (default `console.error`). */
  readonly onError?: (error: AggregateError, event: JobEvent<P, R>) => void;
}

/**
 * A snapshot of a job queue's load.
 *
 * @example
 * ```ts
 * const { waiting, running, delayed } = queue.stats;
 * ```
 */
export interface JobQueueStats {
  /** Ready to run, waiting for a worker. */
  readonly waiting: number;
  readonly running: number;
  /** Waiting for their backoff delay before a retry. */
  readonly delayed: number;
  readonly succeeded: number;
  /** Dead letters kept now (see `maxDeadLetters`). */
  readonly dead: number;
  /** Dead letters dropped so far to keep at most `maxDeadLetters`, oldest first. */
  readonly deadDropped: number;
}

// #region backoff
/**
 * The delay in milliseconds before retrying after failed attempt number `attempt` (1-based).
 *
 * @example
 * ```ts
 * backoffDelay(1); // 100
 * backoffDelay(3); // 400
 * backoffDelay(3, { jitter: "full", random: () => 0.5 }); // 200
 * ```
 */
export function backoffDelay(attempt: number, options?: BackoffOptions): number {
  checkCount("attempt", attempt, 1);
  const backoff = checkBackoff(options);
  const { initialDelay = 100, factor = 2, maxDelay = 30_000, jitter = "none" } = backoff;
  const exponential = Math.min(maxDelay, initialDelay * factor ** (attempt - 1));
  if (jitter === "none") return exponential;
  // "Full jitter": anywhere between 0 and the exponential delay, so that clients that failed
  // together spread their retries out instead of stampeding again together.
  const random: unknown = (backoff.random ?? Math.random)();
  if (typeof random !== "number" || !(random >= 0 && random < 1)) {
    throw badArgument(
      "backoff.random()",
      "a number from 0 up to (not including) 1",
      random,
      RangeError,
    );
  }
  return Math.round(random * exponential);
}
// #endregion backoff

// ─── The queue ───────────────────────────────────────────────────────────────────────────────

interface Job<P> {
  readonly id: string;
  readonly payload: P;
  attempts: number;
  readonly errors: unknown[];
}

/** Checks backoff options by name; returns them (`{}` when omitted). */
function checkBackoff(options: BackoffOptions | undefined): BackoffOptions {
  const backoff = optionsObject(options, "backoff");
  if (backoff.initialDelay !== undefined) {
    checkDuration("backoff.initialDelay", backoff.initialDelay);
  }
  if (backoff.maxDelay !== undefined) checkDuration("backoff.maxDelay", backoff.maxDelay);
  const { factor } = backoff;
  if (
    factor !== undefined &&
    !(typeof factor === "number" && Number.isFinite(factor) && factor >= 1)
  ) {
    const Kind = typeof factor === "number" ? RangeError : TypeError;
    throw badArgument("backoff.factor", "a finite number of at least 1", factor, Kind);
  }
  const jitter = backoff.jitter ?? "none";
  if (jitter !== "none" && jitter !== "full") {
    throw badArgument("backoff.jitter", '"none" or "full"', jitter);
  }
  if (backoff.random !== undefined && typeof backoff.random !== "function") {
    throw badArgument("backoff.random", "a function", backoff.random);
  }
  return backoff;
}

/**
 * A background job queue with retries, backoff, a dead-letter list and observable events.
 *
 * @example
 * ```ts
 * const queue = new JobQueue<string, number>({
 *   handler: async (url) => (await fetch(url)).status,
 *   maxAttempts: 4,
 * });
 * queue.attach((event) => console.log(event.type, event.id));
 * const id = queue.enqueue("https://example.com"); // "job-1", at once
 * await queue.idle(); // every job succeeded or is in queue.deadLetters
 * ```
 */
export class JobQueue<P, R = unknown> {
  readonly #events: AsyncSubject<JobEvent<P, R>>;
  readonly #handler: (payload: P, job: JobContext) => R | PromiseLike<R>;
  readonly #concurrency: number;
  readonly #maxAttempts: number;
  readonly #delay: (attempt: number) => number;
  readonly #timeout: number | undefined;
  readonly #maxQueue: number;
  readonly #maxDeadLetters: number;
  readonly #onError: ((error: AggregateError, event: JobEvent<P, R>) => void) | undefined;
  readonly #retryable: (error: unknown, attempt: number) => boolean;

  readonly #waiting: Job<P>[] = [];
  #running = 0;
  #delayed = 0;
  #succeeded = 0;
  readonly #dead: DeadLetter<P>[] = [];
  #deadDropped = 0;
  #nextId = 1;
  #pumpScheduled = false;
  #closed = false;
  #idle: Array<() => void> = [];

  constructor(options: JobQueueOptions<P, R>) {
    if (typeof options !== "object" || options === null) {
      throw badArgument("options", "an object with a handler", options);
    }
    if (typeof options.handler !== "function") {
      throw badArgument("handler", "a function", options.handler);
    }
    this.#handler = options.handler;
    this.#concurrency = checkCount("concurrency", options.concurrency ?? 1, 1, true);
    this.#maxAttempts = checkCount("maxAttempts", options.maxAttempts ?? 3, 1);
    this.#timeout =
      options.timeout === undefined ? undefined : checkDuration("timeout", options.timeout);
    this.#maxQueue = checkCount("maxQueue", options.maxQueue ?? 10_000, 1, true);
    this.#maxDeadLetters = checkCount("maxDeadLetters", options.maxDeadLetters ?? 1_000, 0, true);
    if (options.retryable !== undefined && typeof options.retryable !== "function") {
      throw badArgument("retryable", "a function", options.retryable);
    }
    this.#retryable = options.retryable ?? (() => true);
    const backoff = options.backoff;
    if (typeof backoff === "function") {
      this.#delay = (n) => {
        const ms: unknown = backoff(n);
        // A timer cannot wait longer than MAX_DELAY: a longer delay would fire after 1 ms.
        if (typeof ms !== "number" || !(ms >= 0 && ms <= MAX_DELAY)) {
          throw new RangeError(
            `\`backoff\` returned ${describe(ms)} for attempt ${n}; expected a number of milliseconds from 0 up to ${MAX_DELAY}`,
          );
        }
        return ms;
      };
    } else {
      const checked = checkBackoff(backoff);
      this.#delay = (n) => backoffDelay(n, checked);
    }
    this.#onError = options.onError;
    this.#events = new AsyncSubject<JobEvent<P, R>>(
      options.onError === undefined ? {} : { onError: options.onError },
    );
  }

  /** The events, to attach to or iterate (`for await (const e of queue.events)`). */
  get events(): AsyncObservable<JobEvent<P, R>> {
    return this.#events;
  }

  /** Attaches an observer to the queue's events; returns a detach function. */
  attach(observer: AsyncObserver<JobEvent<P, R>>): () => void {
    return this.#events.attach(observer);
  }

  /** Jobs that failed every attempt, oldest first. */
  get deadLetters(): readonly DeadLetter<P>[] {
    return [...this.#dead];
  }

  /** A snapshot of the queue's load and totals. */
  get stats(): JobQueueStats {
    return {
      waiting: this.#waiting.length,
      running: this.#running,
      delayed: this.#delayed,
      succeeded: this.#succeeded,
      dead: this.#dead.length,
      deadDropped: this.#deadDropped,
    };
  }

  // #region enqueue
  /**
   * Accepts a job and returns its id at once; the handler runs later, on a worker. Throws
   * {@link QueueFullError} when `maxQueue` unfinished jobs are already accepted, and
   * {@link ClosedError} after `close()`.
   */
  enqueue(payload: P): string {
    this.#accept();
    const job: Job<P> = { id: `job-${this.#nextId++}`, payload, attempts: 0, errors: [] };
    this.#add(job);
    return job.id;
  }
  // #endregion enqueue

  /**
   * Moves a dead letter back into the queue with a fresh set of attempts. Returns `false` if
   * no dead letter has that id.
   */
  retryDead(id: string): boolean {
    const at = this.#dead.findIndex((letter) => letter.id === id);
    if (at < 0) return false;
    this.#accept();
    const [letter] = this.#dead.splice(at, 1) as [DeadLetter<P>];
    this.#add({ id: letter.id, payload: letter.payload, attempts: 0, errors: [] });
    return true;
  }

  /**
   * Resolves once no job is waiting, running or delayed and every observer has seen every
   * event. It never rejects: each job has ended as `succeeded` or `dead`.
   */
  async idle(): Promise<void> {
    while (!this.#isIdle()) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await this.#events.idle();
  }

  /** Stops accepting jobs ({@link ClosedError}) and waits for the accepted ones to end. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
  }

  #accept(): void {
    if (this.#closed) throw new ClosedError("job queue");
    if (this.#waiting.length + this.#running + this.#delayed >= this.#maxQueue) {
      throw new QueueFullError(this.#maxQueue);
    }
  }

  #add(job: Job<P>): void {
    this.#emit({ type: "enqueued", id: job.id, payload: job.payload });
    this.#waiting.push(job);
    this.#schedulePump();
  }

  /**
   * Starts workers on the next microtask, never inside `enqueue()`: the caller gets its id
   * before any handler code runs, whatever the handler does synchronously.
   */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#waiting.length > 0) {
      void this.#run(this.#waiting.shift() as Job<P>);
    }
    this.#wakeIfIdle();
  }

  // #region retry
  async #run(job: Job<P>): Promise<void> {
    this.#running++;
    const number = ++job.attempts;
    const { id, payload } = job;
    this.#emit({ type: "started", id, payload, attempt: number });
    try {
      const result = await attempt(
        (signal) => this.#handler(payload, { id, attempt: number, signal }),
        {
          timeout: this.#timeout,
          label: `job ${id}`,
        },
      );
      this.#succeeded++;
      this.#emit({ type: "succeeded", id, payload, attempt: number, result });
    } catch (error) {
      job.errors.push(error);
      const delay =
        number < this.#maxAttempts && this.#shouldRetry(job, error)
          ? this.#nextDelay(job)
          : undefined;
      if (delay === undefined) {
        // Out of attempts: keep it where someone can see it and retry it, never drop it.
        this.#dead.push(
          Object.freeze({ id, payload, attempts: number, errors: Object.freeze([...job.errors]) }),
        );
        if (this.#dead.length > this.#maxDeadLetters) {
          this.#dead.shift(); // bounded: the oldest goes, and is counted
          this.#deadDropped++;
        }
        this.#emit({ type: "dead", id, payload, attempts: number, error: job.errors.at(-1) });
      } else {
        this.#delayed++;
        this.#emit({ type: "retrying", id, payload, attempt: number, error, delay });
        setTimeout(() => {
          this.#delayed--;
          this.#waiting.push(job);
          this.#pump();
        }, delay);
      }
    } finally {
      this.#running--;
      this.#pump();
    }
  }
  // #endregion retry

  /** Asks `retryable`; a predicate that throws counts as "no" (and its error is kept). */
  #shouldRetry(job: Job<P>, error: unknown): boolean {
    try {
      return this.#retryable(error, job.attempts) === true;
    } catch (thrown) {
      job.errors.push(thrown);
      return false;
    }
  }

  /** The backoff before the next attempt; a broken backoff function dead-letters the job. */
  #nextDelay(job: Job<P>): number | undefined {
    try {
      return this.#delay(job.attempts);
    } catch (error) {
      job.errors.push(error);
      return undefined;
    }
  }

  /**
   * Tells the observers. Never throws: publish() refuses only when observers nest too deep (a
   * RecursionLimitError), and a job must not be lost to that; the failure goes to the error
   * channel instead, as an observer's would.
   */
  #emit(event: JobEvent<P, R>): void {
    const frozen = Object.freeze(event);
    try {
      this.#events.publish(frozen);
    } catch (error) {
      reportUnpublished(this.#onError, error, frozen);
    }
  }

  #isIdle(): boolean {
    return this.#waiting.length === 0 && this.#running === 0 && this.#delayed === 0;
  }

  #wakeIfIdle(): void {
    if (!this.#isIdle() || this.#idle.length === 0) return;
    const resolvers = this.#idle;
    this.#idle = [];
    for (const resolve of resolvers) resolve();
  }
}
