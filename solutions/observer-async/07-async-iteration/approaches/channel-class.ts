// Approach: The iterator as a Channel class, instead of closures in an object literal
//
// - Gains: the iterator's state is named private fields on a named type (a debugger shows a
//   `Channel` with its buffer, readers and writers), and the bounded buffer is a reusable
//   producer/consumer channel (Go's, or Kotlin's) with nothing subject-specific but the
//   `close` callback it is given.
// - Costs: `next` and `return` are methods, so they need their object as `this`: `for await`
//   calls them properly, but a detached `const next = it.next` breaks, where the answer key's
//   arrow functions do not care. More lines for the same behaviour.

// The given code is the answer key's; what follows is this approach's own.
import type { AsyncObserver, SubjectIterator } from "../subject";

export type { AsyncObserver, SubjectIterator };

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
    const channel: Channel<T> = new Channel<T>(this.bufferSize, () => this.detach(channel.send));
    this.attach(channel.send);
    return channel;
  }
}

/** A bounded buffer between one producer (`send`) and one consumer (`next`). */
class Channel<T> implements SubjectIterator<T> {
  readonly #buffer: T[] = [];
  /** next() calls waiting for a value. */
  readonly #readers: Array<(result: IteratorResult<T, undefined>) => void> = [];
  /** Sends waiting for room in the buffer. */
  readonly #writers: Array<() => void> = [];
  #done = false;

  constructor(
    private readonly capacity: number,
    private readonly close: () => void,
  ) {}

  /** The observer: an arrow property, so that it can be attached and detached as it is. */
  readonly send = (value: T): Promise<void> | undefined => {
    const reader = this.#readers.shift();
    if (reader) reader({ value, done: false });
    else if (this.#buffer.length < this.capacity) this.#buffer.push(value);
    else {
      // Full: the round waits for room instead of the buffer growing without bound.
      return new Promise<void>((resolve) => {
        this.#writers.push(() => {
          if (!this.#done) this.#buffer.push(value);
          resolve();
        });
      });
    }
    return undefined;
  };

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift() as T;
      this.#writers.shift()?.();
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#readers.push(resolve));
  }

  /** What `break`, `return` and a throw in the loop body call: the one place to clean up. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.#done = true;
    this.close();
    this.#buffer.length = 0;
    for (const release of this.#writers.splice(0)) release();
    for (const reader of this.#readers.splice(0)) reader({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
