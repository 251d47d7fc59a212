/**
 * The asynchronous subject: observers may be slow (they return promises), and the subject decides
 * how their work runs — all at once or one by one, bounded or not, awaited or fire-and-forget —
 * without ever losing a failure.
 */
import {
  ClosedError,
  DroppedError,
  ObserverError,
  QueueFullError,
  RecursionLimitError,
  TimeoutError,
} from "./errors";
import {
  badArgument,
  checkCount,
  checkDuration,
  checkSignal,
  describeCallable,
  log,
  optionsObject,
} from "./internal";

// ─── Public types ────────────────────────────────────────────────────────────────────────────

/**
 * An observer: a function, or an object with an `update()` method. It may return a promise; the
 * subject awaits it. `signal`, when given, aborts if the round is cancelled or the observer runs
 * past the subject's `timeout`: long work should listen to it and stop.
 *
 * @example
 * ```ts
 * const audit: AsyncObserver<Order> = async (order, signal) => {
 *   await fetch("/audit", { method: "POST", body: JSON.stringify(order), signal });
 * };
 * ```
 */
export type AsyncObserver<T> =
  | ((value: T, signal?: AbortSignal) => unknown)
  | {
      /** Handles one value; may return a promise, which the subject awaits. */
      update(value: T, signal?: AbortSignal): unknown;
    };

/**
 * What a subject does when its queue of waiting notifications is full:
 *
 * - `"reject"`: refuse the new one with a {@link QueueFullError} (the caller decides);
 * - `"drop-oldest"`: drop the oldest waiting one, count it in `stats.dropped` and tell `onDrop`;
 * - `"wait"`: `notify()` waits for room (its caller slows down); `publish()`, which cannot wait,
 *   throws {@link QueueFullError}.
 *
 * @example
 * ```ts
 * const ticks = new AsyncSubject<Tick>({ concurrency: 1, maxQueue: 10, overflow: "drop-oldest" });
 * ```
 */
export type OverflowPolicy = "reject" | "drop-oldest" | "wait";

/**
 * How a subject runs its observers.
 *
 * @example
 * ```ts
 * const subject = new AsyncSubject<Order>({
 *   timeout: 5_000,
 *   concurrency: 4,
 *   maxQueue: 100,
 *   onError: (error, order) => logger.error({ order, failures: error.errors }),
 * });
 * ```
 */
export interface AsyncSubjectOptions<T> {
  /**
   * `"concurrent"` (default) starts every observer at once and waits for all; `"serial"` awaits
   * them one by one in attach order. Either way every observer runs, even after a failure.
   */
  readonly mode?: "concurrent" | "serial";
  /**
   * Milliseconds an observer may take before it fails with a {@link TimeoutError}: above 0 and
   * at most 2^31 − 1 (about 24.8 days), the longest a timer can wait.
   */
  readonly timeout?: number;
  /**
   * How many notification rounds may run at once (default: no limit). A round holds its slot
   * from before its first observer is called, so a round published by an observer's synchronous
   * part waits for the slot like any other.
   */
  readonly concurrency?: number;
  /**
   * How deep `publish()` and `notify()` may be nested inside observers' synchronous parts before
   * the next one fails with a {@link RecursionLimitError} (default 32, as the synchronous
   * `Subject`'s `maxDepth`; `Infinity` for no limit).
   */
  readonly maxDepth?: number;
  /** How many rounds may wait for a slot when `concurrency` is reached (default 1000). */
  readonly maxQueue?: number;
  /** What to do when the queue is full (default `"reject"`). */
  readonly overflow?: OverflowPolicy;
  /**
   * The error channel: receives the failures of every `publish()`ed round that had any, with
   * the value. Default: `console.error`. It is never left unhandled.
   */
  readonly onError?: (error: AggregateError, value: T) => void;
  /** Told about each published value dropped by the `"drop-oldest"` policy. */
  readonly onDrop?: (value: T) => void;
}

/**
 * Options of one `notify()`.
 *
 * @example
 * ```ts
 * await subject.notify(order, { signal: AbortSignal.timeout(10_000) });
 * ```
 */
export interface NotifyOptions {
  /**
   * Cancels the round: `notify()` rejects with `signal.reason` and observers see the abort.
   * Anything but an AbortSignal is refused with a TypeError naming `options.signal`.
   */
  readonly signal?: AbortSignal;
}

/**
 * Options of one async iterator over a subject.
 *
 * @example
 * ```ts
 * for await (const price of prices.stream({ bufferSize: 1, overflow: "drop-oldest" })) draw(price);
 * ```
 */
export interface StreamOptions {
  /** How many values wait for the consumer at most (default 64). */
  readonly bufferSize?: number;
  /**
   * When the buffer is full: `"wait"` (default) makes the round wait until the consumer takes a
   * value, which slows the producer down; `"drop-oldest"` drops the oldest buffered value and
   * counts it in the iterator's `dropped`.
   */
  readonly overflow?: "wait" | "drop-oldest";
  /**
   * Ends the iteration: a pending `next()`, or the next one if none is pending, rejects with
   * `signal.reason`. Anything but an AbortSignal is refused with a TypeError naming
   * `options.signal`, before the iterator attaches to the subject.
   */
  readonly signal?: AbortSignal;
}

/**
 * An async iterator over a subject's values, with a count of what its buffer dropped.
 *
 * @example
 * ```ts
 * const updates = subject.stream({ overflow: "drop-oldest" });
 * for await (const update of updates) render(update);
 * console.log(`skipped ${updates.dropped} stale updates`);
 * ```
 */
export interface SubjectStream<T> extends AsyncIterableIterator<T, undefined> {
  /**
   * Ends the iteration and detaches (what `break` calls). Resolves `{ value, done: true }` with
   * the value it is given, as a generator's `return()` does.
   */
  return(value?: undefined): Promise<IteratorResult<T, undefined>>;
  /** Ends the iteration, detaches, and rejects with `error`. */
  throw(error?: unknown): Promise<IteratorResult<T, undefined>>;
  /** Values dropped by the `"drop-oldest"` policy so far. */
  readonly dropped: number;
}

/**
 * The observing side of a subject: what a task monitor or job queue shares with its audience
 * (they can listen, but not notify).
 *
 * @example
 * ```ts
 * function showProgress(events: AsyncObservable<TaskEvent<unknown>>) {
 *   return events.attach((event) => console.log(event.type, event.key));
 * }
 * ```
 */
export interface AsyncObservable<T> extends AsyncIterable<T, undefined> {
  /** Adds an observer (once; attaching it again changes nothing) and returns a detach function. */
  attach(observer: AsyncObserver<T>): () => void;
  /** Removes an observer; `false` if it was not attached. */
  detach(observer: AsyncObserver<T>): boolean;
  /** An async iterator of the values notified from now on, with a bounded buffer. */
  stream(options?: StreamOptions): SubjectStream<T>;
  /** How many observers are attached (open iterators count as one each). */
  readonly size: number;
}

/**
 * A snapshot of a subject's load.
 *
 * @example
 * ```ts
 * const { running, queued, dropped } = subject.stats;
 * ```
 */
export interface SubjectStats {
  /** Rounds whose observers are still running. */
  readonly running: number;
  /** Rounds waiting for a slot. */
  readonly queued: number;
  /** `notify()` callers waiting for room in a full queue (the `"wait"` policy). */
  readonly waiting: number;
  /** Rounds dropped by the `"drop-oldest"` policy so far. */
  readonly dropped: number;
}

// ─── Internals ───────────────────────────────────────────────────────────────────────────────

/** What a round leaves: nothing (every observer succeeded) or the aggregate of its failures. */
type RoundResult = AggregateError | undefined;

/** A round waiting for a slot; `resolve`/`reject` are set when a `notify()` caller awaits it. */
interface Queued<T> {
  readonly value: T;
  /** How deep the call that queued it was nested in rounds (see {@link RecursionLimitError}). */
  readonly depth: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve?: () => void;
  readonly reject?: (reason: unknown) => void;
  /** Removes the queued round's abort listener. */
  unlink?: () => void;
}

const RESOLVED: Promise<void> = Promise.resolve();
const DEFAULT_MAX_QUEUE = 1000;
const DEFAULT_BUFFER = 64;
const DEFAULT_MAX_DEPTH = 32;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null &&
  (typeof value === "object" || typeof value === "function") &&
  typeof (value as { then?: unknown }).then === "function";

// Reads `then`, which throws on a revoked Proxy or a throwing getter: callers read it inside the
// same `try` as the observer call, so that such a result is that observer's failure.
/** Calls an observer in either of its shapes. */
const invoke = <T>(observer: AsyncObserver<T>, value: T, signal?: AbortSignal): unknown =>
  typeof observer === "function" ? observer(value, signal) : observer.update(value, signal);

/** Shared by every async round: turns "the round failed" into a rejection. */
const rethrow = (result: RoundResult): void => {
  if (result) throw result;
};

/** Builds a round's aggregate, its failures in attach order (not completion order). */
function aggregate(failures: Array<[number, ObserverError]>, ran: number): AggregateError {
  failures.sort((a, b) => a[0] - b[0]);
  const errors = failures.map(([, error]) => error);
  return new AggregateError(errors, `${errors.length} of ${ran} observers failed`);
}

/**
 * Waits for a round's asynchronous observers: a counter and two handlers per promise. It does
 * what `Promise.allSettled` does (wait for all, keep every failure) without allocating a result
 * object per observer, which makes a wide fan-out several times faster.
 */
class Countdown {
  #remaining = 0;
  #failures: Array<[number, ObserverError]> | undefined;
  #resolve: (failures: Array<[number, ObserverError]> | undefined) => void = () => undefined;
  /** Resolves, never rejects, with the failures once every tracked promise has settled. */
  readonly done = new Promise<Array<[number, ObserverError]> | undefined>((resolve) => {
    this.#resolve = resolve;
  });
  readonly #settle = (): void => {
    if (--this.#remaining === 0) this.#resolve(this.#failures);
  };

  track(result: PromiseLike<unknown>, at: number, observer: unknown): void {
    this.#remaining++;
    // A foreign thenable goes through Promise.resolve(), which guards against one that throws
    // or calls back twice; a native promise is used as it is.
    let promise: Promise<unknown>;
    try {
      promise = result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      promise = Promise.reject(error); // `instanceof` on a Proxy whose traps throw
    }
    promise.then(this.#settle, (error: unknown) => {
      this.#failures ??= [];
      this.#failures.push([at, new ObserverError(observer, error)]);
      this.#settle();
    });
  }
}

function defaultOnError(error: AggregateError): void {
  // Node prints an AggregateError with its `errors` and their causes (log() falls back to their
  // descriptions when a cause cannot be printed).
  log("AsyncSubject: a published round failed:", error);
}

function assertObserver(observer: unknown): asserts observer is AsyncObserver<unknown> {
  if (typeof observer === "function") return;
  if (
    typeof observer === "object" &&
    observer !== null &&
    typeof (observer as { update?: unknown }).update === "function"
  ) {
    return;
  }
  throw badArgument("observer", "a function or have an update() method", observer);
}

/** Rejects with `signal.reason` as soon as it aborts; otherwise follows `round`. */
function abortable(round: Promise<RoundResult>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void round.then((result) => {
      // Remove the listener: a long-lived signal must not collect one per round (the leak
      // Node's events.on() had with its abort listener).
      signal.removeEventListener("abort", onAbort);
      if (result) reject(result);
      else resolve();
    });
  });
}

// ─── The subject ─────────────────────────────────────────────────────────────────────────────

/**
 * A subject whose observers may be asynchronous.
 *
 * - `await notify(value)` runs the observers (concurrently by default), settles once all have
 *   settled, and rejects with an `AggregateError` of {@link ObserverError}s if any failed;
 * - `publish(value)` returns at once; failures go to `onError`, never to an unhandled rejection;
 *   `await idle()` waits for everything published so far;
 * - `for await (const value of subject)` iterates over later values with a bounded buffer.
 *
 * @example
 * ```ts
 * const orders = new AsyncSubject<Order>({ onError: (e) => log.error(e) });
 * orders.attach(async (order) => sendReceipt(order));
 * orders.attach((order) => metrics.count("orders"));
 * await orders.notify(order); // both done, or an AggregateError naming each failure
 * orders.publish(order); // fire-and-forget
 * await orders.idle();
 * ```
 */
export class AsyncSubject<T> implements AsyncObservable<T> {
  // Attach order. A round iterates a snapshot of it, rebuilt only after a change: attach() is
  // O(1), and notify() copies nothing while the observers stay the same.
  readonly #list: AsyncObserver<T>[] = [];
  #snapshot: readonly AsyncObserver<T>[] | undefined;
  // Membership right now: an observer detached during a round is not called later in it.
  readonly #attached = new Set<AsyncObserver<T>>();
  readonly #streams = new Set<Stream<T>>();

  readonly #serial: boolean;
  readonly #timeout: number | undefined;
  readonly #concurrency: number;
  readonly #maxQueue: number;
  readonly #overflow: OverflowPolicy;
  readonly #onError: (error: AggregateError, value: T) => void;
  readonly #onDrop: ((value: T) => void) | undefined;

  readonly #maxDepth: number;

  #running = 0;
  /** How deep the round running synchronously right now is nested (0: none is). */
  #depth = 0;
  /** Whether #release() is starting queued rounds (a round that ends inside it returns early). */
  #draining = false;
  #queue: Queued<T>[] = [];
  #waiters: Queued<T>[] = [];
  #dropped = 0;
  #idle: Array<() => void> = [];
  #closed = false;

  constructor(options?: AsyncSubjectOptions<T>) {
    options = optionsObject(options);
    const mode = options.mode ?? "concurrent";
    if (mode !== "concurrent" && mode !== "serial") {
      throw badArgument("mode", '"concurrent" or "serial"', mode);
    }
    const overflow = options.overflow ?? "reject";
    if (overflow !== "reject" && overflow !== "drop-oldest" && overflow !== "wait") {
      throw badArgument("overflow", '"reject", "drop-oldest" or "wait"', overflow);
    }
    if (options.onError !== undefined && typeof options.onError !== "function") {
      throw badArgument("onError", "a function", options.onError);
    }
    if (options.onDrop !== undefined && typeof options.onDrop !== "function") {
      throw badArgument("onDrop", "a function", options.onDrop);
    }
    this.#serial = mode === "serial";
    this.#timeout =
      options.timeout === undefined ? undefined : checkDuration("timeout", options.timeout);
    this.#concurrency = checkCount(
      "concurrency",
      options.concurrency ?? Number.POSITIVE_INFINITY,
      1,
      true,
    );
    this.#maxQueue = checkCount("maxQueue", options.maxQueue ?? DEFAULT_MAX_QUEUE, 0, true);
    this.#maxDepth = checkCount("maxDepth", options.maxDepth ?? DEFAULT_MAX_DEPTH, 1, true);
    this.#overflow = overflow;
    this.#onError = options.onError ?? defaultOnError;
    this.#onDrop = options.onDrop;
  }

  /** How many observers are attached (open iterators count as one each). */
  get size(): number {
    return this.#list.length;
  }

  /** A snapshot of the subject's load: running, queued and waiting rounds, and drops so far. */
  get stats(): SubjectStats {
    return {
      running: this.#running,
      queued: this.#queue.length,
      waiting: this.#waiters.length,
      dropped: this.#dropped,
    };
  }

  /**
   * Adds an observer and returns a function that detaches it. Attaching an observer that is
   * already attached changes nothing (it is still notified once per round). An observer
   * attached during a round is notified from the next round on.
   */
  attach(observer: AsyncObserver<T>): () => void {
    assertObserver(observer);
    if (!this.#attached.has(observer)) {
      this.#attached.add(observer);
      this.#list.push(observer);
      this.#snapshot = undefined;
    }
    return () => {
      this.detach(observer);
    };
  }

  /**
   * Removes an observer; returns `false` if it was not attached. An observer detached during a
   * round is not called later in that round (work it already started is still awaited).
   */
  detach(observer: AsyncObserver<T>): boolean {
    if (!this.#attached.delete(observer)) return false;
    this.#list.splice(this.#list.indexOf(observer), 1);
    this.#snapshot = undefined;
    return true;
  }

  // #region notify
  /**
   * Runs every observer with `value` and settles when all have settled. Rejects with an
   * `AggregateError` of {@link ObserverError}s (in attach order) if any failed; with
   * {@link QueueFullError} or {@link DroppedError} under back-pressure; with `signal.reason`
   * as soon as the round is cancelled; with {@link ClosedError} after `close()`.
   */
  notify(value: T, options?: NotifyOptions): Promise<void> {
    let signal: AbortSignal | undefined;
    try {
      signal = checkSignal("options.signal", optionsObject(options).signal);
    } catch (error) {
      return Promise.reject(error); // a bad argument rejects, like every other failure
    }
    if (this.#closed) return Promise.reject(new ClosedError("subject"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#depth >= this.#maxDepth)
      return Promise.reject(new RecursionLimitError(this.#maxDepth));
    if (this.#running >= this.#concurrency) return this.#enqueueNotify(value, signal);
    return outcome(this.#start(value, signal, false, this.#depth), signal);
  }
  // #endregion notify

  // #region publish
  /**
   * Fire-and-forget: starts (or queues) a round and returns at once. Failures go to `onError`;
   * none becomes an unhandled rejection. Throws {@link QueueFullError} when the queue is full
   * (unless the policy is `"drop-oldest"`) and {@link ClosedError} after `close()`.
   */
  publish(value: T): void {
    if (this.#closed) throw new ClosedError("subject");
    if (this.#depth >= this.#maxDepth) throw new RecursionLimitError(this.#maxDepth);
    if (this.#running >= this.#concurrency) this.#enqueuePublish(value);
    else this.#start(value, undefined, true, this.#depth); // reports its own failures
  }

  /** Resolves once no round is running, queued or waiting. It never rejects. */
  idle(): Promise<void> {
    if (this.#isIdle()) return RESOLVED;
    return new Promise<void>((resolve) => this.#idle.push(resolve));
  }
  // #endregion publish

  /**
   * Stops accepting values (`notify` rejects and `publish` throws {@link ClosedError}), waits
   * for outstanding rounds, then ends every open iterator once it has drained its buffer. (An
   * iterator whose consumer stopped pulling holds its round, and so `close()`, until it pulls
   * or leaves: that is what `"wait"` means.)
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
    for (const stream of [...this.#streams]) stream.end();
  }

  /** An async iterator of the values notified from now on; see {@link StreamOptions}. */
  stream(options?: StreamOptions): SubjectStream<T> {
    return new Stream(this, this.#streams, optionsObject(options));
  }

  /** `for await (const value of subject)`: {@link AsyncSubject.stream} with its defaults. */
  [Symbol.asyncIterator](): SubjectStream<T> {
    return this.stream();
  }

  // ─── rounds ───

  /**
   * Starts a round. Returns `undefined` or an aggregate when it finished synchronously, or a
   * promise of its result (never rejected) while it occupies a slot. A published round hands
   * its failures to the error channel itself, before it frees its slot, so that `idle()` only
   * resolves once `onError` has seen them.
   */
  #start(
    value: T,
    signal: AbortSignal | undefined,
    published: boolean,
    depth: number,
  ): RoundResult | Promise<RoundResult> {
    // The round keeps this snapshot even if observers are attached or detached meanwhile.
    this.#snapshot ??= [...this.#list];
    // The slot is taken before any observer runs: one that publishes from its synchronous part
    // must find it taken, or `concurrency: 1` would run its round beside this one.
    this.#running++;
    const outer = this.#depth;
    this.#depth = depth + 1;
    try {
      if (this.#serial) return this.#runSerial(this.#snapshot, value, signal, published, depth);
      const result = this.#runConcurrent(this.#snapshot, value, signal, published);
      if (!(result instanceof Promise)) {
        // Every observer was synchronous: the round is over already.
        if (result && published) this.#report(result, value);
        this.#release();
      }
      return result;
    } finally {
      this.#depth = outer;
    }
  }

  // #region concurrent-round
  #runConcurrent(
    observers: readonly AsyncObserver<T>[],
    value: T,
    signal: AbortSignal | undefined,
    published: boolean,
  ): RoundResult | Promise<RoundResult> {
    let failures: Array<[number, ObserverError]> | undefined;
    let waiting: Countdown | undefined;
    let ran = 0;
    for (let i = 0; i < observers.length; i++) {
      const observer = observers[i] as AsyncObserver<T>;
      if (!this.#attached.has(observer)) continue; // detached by an earlier observer of this round
      ran++;
      let result: unknown;
      let pending: boolean;
      try {
        result = this.#call(observer, value, signal);
        pending = isThenable(result);
      } catch (error) {
        // A synchronous throw is a failure like any other: the loop goes on.
        failures ??= [];
        failures.push([i, new ObserverError(observer, error)]);
        continue;
      }
      // Only promises are waited for: a synchronous observer costs no promise at all.
      if (pending) {
        waiting ??= new Countdown();
        waiting.track(result as PromiseLike<unknown>, i, observer);
      }
    }
    if (waiting === undefined) return failures && aggregate(failures, ran);

    // Every observer has started; now wait for all of them to settle, successfully or not
    // (Promise.all would stop at the first failure and lose the others).
    return waiting.done.then((late) => {
      if (late) failures = failures ? [...failures, ...late] : late;
      const result = failures && aggregate(failures, ran);
      this.#roundDone(result, value, published);
      return result;
    });
  }
  // #endregion concurrent-round

  // #region serial-round
  async #runSerial(
    observers: readonly AsyncObserver<T>[],
    value: T,
    signal: AbortSignal | undefined,
    published: boolean,
    depth: number,
  ): Promise<RoundResult> {
    let failures: Array<[number, ObserverError]> | undefined;
    let ran = 0;
    for (let i = 0; i < observers.length; i++) {
      if (signal?.aborted) break; // cancelled: start no further observer
      const observer = observers[i] as AsyncObserver<T>;
      if (!this.#attached.has(observer)) continue;
      ran++;
      // Each observer runs inside this round, even after the round's own awaits: one that
      // publishes counts as nested, so runaway self-publishing meets maxDepth here too.
      const outer = this.#depth;
      this.#depth = depth + 1;
      let called: unknown;
      try {
        called = this.#call(observer, value, signal);
      } catch (error) {
        called = Promise.reject(error);
      } finally {
        this.#depth = outer;
      }
      try {
        await called;
      } catch (error) {
        // Serial mode goes on after a failure (emittery's emitSerial stops): one broken
        // observer must not silence the ones attached after it.
        failures ??= [];
        failures.push([i, new ObserverError(observer, error)]);
      }
    }
    const result = failures && aggregate(failures, ran);
    this.#roundDone(result, value, published);
    return result;
  }
  // #endregion serial-round

  // #region timeout
  /** Calls one observer, under the subject's timeout if it has one. */
  #call(observer: AsyncObserver<T>, value: T, signal: AbortSignal | undefined): unknown {
    const ms = this.#timeout;
    if (ms === undefined) return invoke(observer, value, signal);

    // Each observer gets its own signal, so a timeout stops that observer and no other.
    const controller = new AbortController();
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", forward, { once: true });
    const unlink = () => signal?.removeEventListener("abort", forward);
    let result: unknown;
    try {
      result = invoke(observer, value, controller.signal);
      if (!isThenable(result)) {
        unlink();
        return result;
      }
    } catch (error) {
      unlink();
      throw error;
    }
    const thenable = result;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new TimeoutError(ms, `observer ${describeCallable(observer)}`);
        controller.abort(error);
        unlink();
        reject(error);
      }, ms);
      // Promise.resolve() adopts a foreign thenable safely: one whose then() throws rejects.
      Promise.resolve(thenable).then(
        (settled) => {
          clearTimeout(timer);
          unlink();
          resolve(settled);
        },
        (error: unknown) => {
          clearTimeout(timer);
          unlink();
          reject(error);
        },
      );
    });
  }
  // #endregion timeout

  /** An asynchronous round ends: report it if published, then free its slot. */
  #roundDone(result: RoundResult, value: T, published: boolean): void {
    if (result && published) this.#report(result, value);
    this.#release();
  }

  /** Frees a round's slot, starts queued rounds, wakes idle(). */
  #release(): void {
    this.#running--;
    // A queued round that finishes synchronously releases its slot inside the loop below: the
    // loop goes on from there, instead of a nested loop deepening the stack per queued round.
    if (this.#draining) return;
    this.#draining = true;
    try {
      // Oldest first: the queue, then callers waiting for room (with maxQueue 0 they wait for
      // a slot directly).
      while (this.#running < this.#concurrency) {
        const next = this.#queue.shift() ?? this.#waiters.shift();
        if (next === undefined) break;
        this.#startQueued(next);
      }
    } finally {
      this.#draining = false;
    }
    this.#admitWaiters();
    this.#wakeIfIdle();
  }

  #startQueued(entry: Queued<T>): void {
    entry.unlink?.(); // its wait is over: the round itself now listens to the signal
    const published = entry.resolve === undefined;
    const result = this.#start(entry.value, entry.signal, published, entry.depth);
    if (entry.resolve) outcome(result, entry.signal).then(entry.resolve, entry.reject);
  }

  #admitWaiters(): void {
    while (this.#waiters.length > 0 && this.#queue.length < this.#maxQueue) {
      this.#queue.push(this.#waiters.shift() as Queued<T>);
    }
  }

  #isIdle(): boolean {
    return this.#running === 0 && this.#queue.length === 0 && this.#waiters.length === 0;
  }

  #wakeIfIdle(): void {
    if (!this.#isIdle() || this.#idle.length === 0) return;
    const resolvers = this.#idle;
    this.#idle = [];
    for (const resolve of resolvers) resolve();
  }

  // #region back-pressure
  #enqueuePublish(value: T): void {
    if (this.#queue.length < this.#maxQueue) {
      this.#queue.push({ value, depth: this.#depth, signal: undefined });
    } else if (this.#overflow === "drop-oldest" && this.#maxQueue > 0) {
      this.#dropOldest();
      this.#queue.push({ value, depth: this.#depth, signal: undefined });
    } else {
      // "reject" — and "wait" too: publish() cannot wait, and keeping the value anyway would
      // make the queue unbounded again.
      const hint = this.#overflow === "wait" ? "publish() cannot wait; await notify() instead" : "";
      throw new QueueFullError(this.#maxQueue, hint);
    }
  }

  #enqueueNotify(value: T, signal: AbortSignal | undefined): Promise<void> {
    const full = this.#queue.length >= this.#maxQueue;
    const policy = this.#overflow;
    if (full && (policy === "reject" || (policy === "drop-oldest" && this.#maxQueue === 0))) {
      return Promise.reject(new QueueFullError(this.#maxQueue));
    }
    return new Promise<void>((resolve, reject) => {
      const entry: Queued<T> = { value, depth: this.#depth, signal, resolve, reject };
      if (signal) {
        // While it waits, an abort takes the round out of the queue.
        const onAbort = () => {
          this.#remove(entry);
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        entry.unlink = () => signal.removeEventListener("abort", onAbort);
      }
      if (!full) this.#queue.push(entry);
      else if (policy === "drop-oldest") {
        this.#dropOldest();
        this.#queue.push(entry);
      } else this.#waiters.push(entry); // "wait": the caller stays suspended until there is room
    });
  }

  /** The `"drop-oldest"` policy: nothing goes silently, a drop is counted and told. */
  #dropOldest(): void {
    const dropped = this.#queue.shift() as Queued<T>;
    dropped.unlink?.();
    this.#dropped++;
    if (dropped.reject) dropped.reject(new DroppedError());
    else this.#callOnDrop(dropped.value);
    this.#admitWaiters();
  }
  // #endregion back-pressure

  #remove(entry: Queued<T>): void {
    for (const list of [this.#queue, this.#waiters]) {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    }
    this.#admitWaiters();
    this.#wakeIfIdle();
  }

  // #region error-channel
  /** Hands a failed round to the error channel; a throwing handler is logged, never rethrown. */
  #report(error: AggregateError, value: T): void {
    try {
      this.#onError(error, value);
    } catch (thrown) {
      log("AsyncSubject: onError threw while reporting a failed round", thrown, error);
    }
  }
  // #endregion error-channel

  #callOnDrop(value: T): void {
    try {
      this.#onDrop?.(value);
    } catch (thrown) {
      log("AsyncSubject: onDrop threw", thrown);
    }
  }
}

/** What a `notify()` caller sees of a round. */
function outcome(result: RoundResult | Promise<RoundResult>, signal?: AbortSignal): Promise<void> {
  if (result === undefined) return RESOLVED; // every observer was synchronous and succeeded
  if (result instanceof AggregateError) return Promise.reject(result);
  return signal ? abortable(result, signal) : result.then(rethrow);
}

// ─── Async iteration ─────────────────────────────────────────────────────────────────────────

// #region stream
/**
 * One `for await` over a subject: an observer that buffers values for a pulling consumer. It
 * detaches itself whenever the loop ends — `break`, `return`, a throw in the loop body (all of
 * which call `return()`), `throw()`, an abort, or the subject closing — and removes its abort
 * listener too: both are leaks Node's `events.on()` had.
 */
class Stream<T> implements SubjectStream<T> {
  #buffer: T[] = [];
  #readers: Array<{
    resolve: (result: IteratorResult<T, undefined>) => void;
    reject: (reason: unknown) => void;
  }> = [];
  // Rounds waiting for room in a full buffer ("wait"): each holds its value until a pull.
  #writers: Array<() => void> = [];
  #dropped = 0;
  #ending = false;
  #finished = false;
  // Aborted while no next() was pending: the next next() rejects with the reason, as notify()
  // and AsyncSingleton.get() do, instead of the loop ending as if the subject had closed.
  #abortUnseen = false;

  readonly #capacity: number;
  readonly #dropOldest: boolean;
  readonly #subject: AsyncSubject<T>;
  readonly #registry: Set<Stream<T>>;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#abort();
  readonly #observer = (value: T): Promise<void> | undefined => this.#push(value);

  constructor(subject: AsyncSubject<T>, registry: Set<Stream<T>>, options: StreamOptions) {
    // Every option is checked before the iterator attaches: a bad one leaves nothing behind (an
    // attached iterator nobody pulls would hold every round, and so close(), forever).
    this.#capacity = checkCount("bufferSize", options.bufferSize ?? DEFAULT_BUFFER, 1);
    const overflow = options.overflow ?? "wait";
    if (overflow !== "wait" && overflow !== "drop-oldest") {
      throw badArgument("overflow", '"wait" or "drop-oldest"', overflow);
    }
    this.#signal = checkSignal("options.signal", options.signal);
    this.#dropOldest = overflow === "drop-oldest";
    this.#subject = subject;
    this.#registry = registry;
    if (this.#signal?.aborted) {
      this.#finished = true; // never attached: nothing to clean up
      this.#abortUnseen = true;
      return;
    }
    subject.attach(this.#observer);
    registry.add(this);
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  get dropped(): number {
    return this.#dropped;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#abortUnseen) {
      this.#abortUnseen = false;
      return Promise.reject(this.#signal?.reason);
    }
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift() as T;
      this.#writers.shift()?.(); // a waiting round may now put its value in
      return Promise.resolve({ value, done: false });
    }
    if (this.#signal?.aborted && !this.#finished) this.#abort();
    if (this.#ending) this.#finish();
    if (this.#finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#readers.push({ resolve, reject }));
  }

  return(value?: undefined): Promise<IteratorResult<T, undefined>> {
    this.#finish();
    this.#abortUnseen = false; // the consumer is leaving: nobody to tell
    return Promise.resolve({ value, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
    this.#finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The subject closed: no value will come; the consumer still drains what is buffered. */
  end(): void {
    this.#ending = true;
    if (this.#buffer.length === 0) this.#finish();
  }

  #push(value: T): Promise<void> | undefined {
    if (this.#finished) return undefined;
    const reader = this.#readers.shift();
    if (reader) reader.resolve({ value, done: false });
    else if (this.#buffer.length < this.#capacity) this.#buffer.push(value);
    else if (this.#dropOldest) {
      this.#buffer.shift();
      this.#dropped++;
      this.#buffer.push(value);
    } else {
      // Back-pressure: the round (and so notify(), and a bounded subject's publish()) waits
      // until the consumer pulls, instead of the buffer growing without bound.
      return new Promise<void>((resolve) => {
        this.#writers.push(() => {
          if (!this.#finished) this.#buffer.push(value);
          resolve();
        });
      });
    }
    return undefined;
  }

  /** Detaches, forgets the buffer, releases waiting rounds and readers. Idempotent. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#subject.detach(this.#observer);
    this.#registry.delete(this);
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#buffer = [];
    for (const release of this.#writers.splice(0)) release();
    for (const reader of this.#readers.splice(0)) reader.resolve({ value: undefined, done: true });
  }

  #abort(): void {
    const readers = this.#readers.splice(0);
    this.#finish();
    if (readers.length === 0) this.#abortUnseen = true;
    for (const reader of readers) reader.reject(this.#signal?.reason);
  }
}
// #endregion stream
