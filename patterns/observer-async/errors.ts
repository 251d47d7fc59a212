/**
 * The named errors of the asynchronous observer. Every failure a caller can meet has its own
 * class, so `catch` blocks test `instanceof` (or `name`) instead of parsing messages.
 */
import { describeCallable, describeError } from "./internal";

// #region observer-error
/**
 * One observer's failure in a notification round. The round runs every observer anyway and
 * reports all failures together, as an `AggregateError` whose `errors` are `ObserverError`s.
 *
 * @example
 * ```ts
 * try {
 *   await subject.notify(order);
 * } catch (error) {
 *   if (error instanceof AggregateError) {
 *     for (const failure of error.errors as ObserverError[]) log(failure.observer, failure.cause);
 *   }
 * }
 * ```
 */
export class ObserverError extends Error {
  override readonly name = "ObserverError";

  constructor(
    /** The observer that threw or rejected. */
    readonly observer: unknown,
    /** What it threw: the original error, untouched. */
    override readonly cause: unknown,
  ) {
    // describeError() never throws: an observer that throws `Object.create(null)` or an Error
    // whose `message` getter throws still gets its failure reported, and the round settles.
    super(`observer ${describeCallable(observer)} failed: ${describeError(cause)}`, { cause });
  }
}
// #endregion observer-error

/**
 * An observer, task or job attempt took longer than its time limit. The work is abandoned (its
 * signal is aborted with this error as the reason) and reported as failed.
 *
 * @example
 * ```ts
 * const subject = new AsyncSubject<string>({ timeout: 5_000 });
 * // an observer still running after 5 s fails the round with an ObserverError whose cause is:
 * new TimeoutError(5_000); // TimeoutError: timed out after 5000 ms
 * ```
 */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";

  constructor(
    /** The limit that was exceeded, in milliseconds. */
    readonly ms: number,
    what = "",
  ) {
    super(`${what ? `${what} ` : ""}timed out after ${ms} ms`);
  }
}

/**
 * A bounded queue was full and its policy is to refuse new work. Nothing was queued: the caller
 * still owns the value and decides (retry later, shed load, tell the user).
 *
 * @example
 * ```ts
 * try {
 *   subject.publish(reading);
 * } catch (error) {
 *   if (error instanceof QueueFullError) metrics.increment("readings.shed");
 *   else throw error;
 * }
 * ```
 */
export class QueueFullError extends Error {
  override readonly name = "QueueFullError";

  constructor(
    /** How many items the queue holds at most. */
    readonly limit: number,
    hint = "",
  ) {
    super(`the queue is full (${limit} waiting)${hint ? `: ${hint}` : ""}`);
  }
}

/**
 * A queued notification was dropped to make room for a newer one (the `"drop-oldest"` policy).
 * Only a caller awaiting that notification sees it; dropped `publish()`es are counted instead.
 *
 * @example
 * ```ts
 * const subject = new AsyncSubject<number>({ concurrency: 1, maxQueue: 1, overflow: "drop-oldest" });
 * subject.notify(1).catch((e) => e instanceof DroppedError); // true if 1 was dropped
 * ```
 */
export class DroppedError extends Error {
  override readonly name = "DroppedError";

  constructor() {
    super("the notification was dropped from a full queue to make room for a newer one");
  }
}

/**
 * The subject, monitor or queue was closed: it accepts no more work.
 *
 * @example
 * ```ts
 * await queue.close();
 * queue.enqueue(job); // throws ClosedError: the job queue is closed
 * ```
 */
export class ClosedError extends Error {
  override readonly name = "ClosedError";

  constructor(what: string) {
    super(`the ${what} is closed`);
  }
}

/**
 * `publish()` or `notify()` was called from inside an observer's synchronous part more than
 * `maxDepth` rounds deep: an observer that publishes to the subject it observes, unconditionally,
 * would otherwise recurse until the stack overflows. Rounds queued by a concurrency limit count
 * too: a queued round is as deep as the round that published it, plus one. The call that would go
 * one round deeper throws (`publish()`) or rejects (`notify()`) with this error, which the
 * observer that made it fails with.
 *
 * @example
 * ```ts
 * const counter = new AsyncSubject<number>({ maxDepth: 8 });
 * counter.attach((n) => counter.publish(n + 1)); // never stops by itself
 * counter.publish(0); // the 8th round's observer fails with RecursionLimitError
 * ```
 */
export class RecursionLimitError extends Error {
  override readonly name = "RecursionLimitError";

  constructor(
    /** The depth that was exceeded. */
    readonly maxDepth: number,
  ) {
    super(
      `publish() or notify() was nested more than ${maxDepth} rounds deep: an observer keeps ` +
        "publishing to the subject it observes (raise maxDepth if the depth is intended)",
    );
  }
}

/**
 * A job attempt failed in another process (a BullMQ worker). Errors do not cross a process
 * boundary as objects: the worker sends the original's name, message and stack, and the
 * observer gets this error with the same message and the original's name in `remoteName`.
 *
 * @example
 * ```ts
 * queue.attach((event) => {
 *   if (event.type === "dead" && event.error instanceof RemoteJobError) {
 *     console.error(`${event.id}: ${event.error.remoteName}: ${event.error.message}`);
 *   }
 * });
 * ```
 */
export class RemoteJobError extends Error {
  override readonly name = "RemoteJobError";

  constructor(
    /** The original error's `name` (`"TypeError"`, `"TimeoutError"`…). */
    readonly remoteName: string,
    message: string,
    /** The original error's stack, as the worker printed it, if it had one. */
    readonly remoteStack?: string,
  ) {
    super(message);
  }
}
