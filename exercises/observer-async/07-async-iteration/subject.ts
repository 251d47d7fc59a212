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

/** The iterator `for await` gets: `return()` is what `break` calls. */
export interface SubjectIterator<T> extends AsyncIterableIterator<T, undefined> {
  return(): Promise<IteratorResult<T, undefined>>;
}

/**
 * A subject you can also consume with `for await (const value of subject)`. Each loop gets the
 * values notified after it started, through a buffer of at most `bufferSize` values.
 */
export class AsyncSubject<T> {
  protected readonly observers = new Set<AsyncObserver<T>>();

  /** `bufferSize`: how many values each loop may hold before notify() waits (whole, at least 1). */
  constructor(protected readonly bufferSize = 16) {
    // TODO: refuse a bufferSize that is not a whole number of at least 1 with a RangeError:
    // "`bufferSize` must be a whole number of at least 1, got 0".
  }

  /** How many observers are attached (an open loop counts as one). */
  get size(): number {
    return this.observers.size;
  }

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

  /**
   * A new iterator over the values notified from now on. While its buffer is full, notify()
   * waits; when the loop ends (break, return, throw), it detaches and leaves nothing behind.
   */
  [Symbol.asyncIterator](): SubjectIterator<T> {
    // TODO: attach an observer that hands each value to a waiting next() or buffers it (and,
    // when the buffer is full, returns a promise that resolves once next() makes room); return
    // an iterator whose return() detaches that observer and releases everyone still waiting.
    throw new Error("TODO(observer-async/07): implement [Symbol.asyncIterator]()");
  }
}
