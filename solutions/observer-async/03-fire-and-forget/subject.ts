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

/** A subject with `await notify()`, fire-and-forget `publish()` and `idle()`. */
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

  // Every published round that has not settled yet, for idle().
  protected readonly pending = new Set<Promise<void>>();

  /** Starts a round and returns at once; its failures go to `options.onError`, never unhandled. */
  publish(value: T): void {
    // Nobody awaits this promise, so its rejection must be handled right here: a rejection
    // without a handler is an "unhandled rejection" (by default Node ends the process).
    const round: Promise<void> = this.notify(value)
      .catch((error: AggregateError) => {
        try {
          this.options.onError(error, value);
        } catch {
          // onError is the last stop: an error it throws has nowhere left to go. Letting it
          // escape would make this promise reject, unhandled, and idle() reject with it.
        }
      })
      .finally(() => this.pending.delete(round));
    this.pending.add(round);
  }

  /** Resolves once every published round has settled (including rounds published meanwhile). */
  async idle(): Promise<void> {
    // A loop, not one wait: rounds published while we wait are outstanding too.
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
