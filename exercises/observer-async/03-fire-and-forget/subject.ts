/** An observer: a function that may do its work asynchronously (return a promise) or not. */
export type AsyncObserver<T> = (value: T) => unknown;

/** One observer's failure: the original error as `cause`, and the observer that failed. */
export class ObserverError extends Error {
  override readonly name = "ObserverError";

  constructor(
    readonly observer: (...args: never[]) => unknown,
    override readonly cause: unknown,
  ) {
    super(`observer ${observer.name || "(anonymous)"} failed: ${reasonOf(cause)}`, { cause });
  }
}

/** Says what was thrown, whatever it is: String() throws for an object with no prototype. */
function reasonOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  try {
    return String(cause);
  } catch {
    return Object.prototype.toString.call(cause); // "[object Object]" for Object.create(null)
  }
}

export interface SubjectOptions<T> {
  /** The error channel: receives the failures of each published round, with its value. */
  readonly onError: (error: AggregateError, value: T) => void;
}

/**
 * A subject with two ways to notify: `await notify(value)` (the caller waits and gets the
 * errors) and `publish(value)` (fire-and-forget: failures go to `onError`), plus `idle()`.
 */
export class AsyncSubject<T> {
  protected readonly observers = new Set<AsyncObserver<T>>();

  constructor(protected readonly options: SubjectOptions<T>) {}

  attach(observer: AsyncObserver<T>): void {
    this.observers.add(observer);
  }

  detach(observer: AsyncObserver<T>): void {
    this.observers.delete(observer);
  }

  /** Runs every observer; rejects with an AggregateError of ObserverErrors if any failed. */
  async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const outcomes = await Promise.allSettled(observers.map(async (observer) => observer(value)));
    const errors: ObserverError[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "rejected") {
        errors.push(new ObserverError(observers[i] as AsyncObserver<T>, outcome.reason));
      }
    });
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} of ${observers.length} observers failed`);
    }
  }

  /** Starts a round and returns at once; its failures go to `options.onError`, never unhandled. */
  publish(_value: T): void {
    // TODO: start notify() without awaiting it, send its failure to onError, and remember the
    // round until it settles so that idle() can wait for it.
    throw new Error("TODO(observer-async/03): implement publish()");
  }

  /** Resolves once every published round has settled (including rounds published meanwhile). */
  idle(): Promise<void> {
    // TODO: wait until no published round is outstanding.
    throw new Error("TODO(observer-async/03): implement idle()");
  }
}
