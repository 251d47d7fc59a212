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

/** A subject you can also consume with `for await (const value of subject)`. */
export class AsyncSubject<T> {
  protected readonly observers = new Set<AsyncObserver<T>>();

  constructor(protected readonly bufferSize = 16) {
    // A buffer of 0 could never take the value a waiting round brings: notify() and next() would
    // wait for each other for ever. Refuse it (and 1.5, NaN, Infinity) where it is given.
    if (!Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new RangeError(
        `\`bufferSize\` must be a whole number of at least 1, got ${bufferSize}`,
      );
    }
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

  /** A new iterator over later values, with a bounded buffer; detaches when the loop ends. */
  [Symbol.asyncIterator](): SubjectIterator<T> {
    const buffer: T[] = [];
    // next() calls waiting for a value, and rounds waiting for room in the buffer.
    const readers: Array<(result: IteratorResult<T, undefined>) => void> = [];
    const writers: Array<() => void> = [];
    let done = false;

    const observer = (value: T): Promise<void> | undefined => {
      const reader = readers.shift();
      if (reader) reader({ value, done: false });
      else if (buffer.length < this.bufferSize) buffer.push(value);
      else {
        // Full: this round (and so notify()) waits until the consumer makes room, instead of
        // the buffer growing without bound.
        return new Promise<void>((resolve) => {
          writers.push(() => {
            if (!done) buffer.push(value);
            resolve();
          });
        });
      }
      return undefined;
    };
    this.attach(observer);

    const iterator: SubjectIterator<T> = {
      next: () => {
        if (buffer.length > 0) {
          const value = buffer.shift() as T;
          writers.shift()?.(); // room for one waiting round
          return Promise.resolve({ value, done: false });
        }
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => readers.push(resolve));
      },
      // `break`, `return` and a throw inside the loop body all call return(): the one place
      // to clean up. Forgetting it leaves an observer (and its buffer) attached forever.
      return: () => {
        done = true;
        this.detach(observer);
        buffer.length = 0;
        for (const release of writers.splice(0)) release();
        for (const reader of readers.splice(0)) reader({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
