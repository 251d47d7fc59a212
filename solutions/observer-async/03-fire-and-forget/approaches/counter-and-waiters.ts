// Approach: A count of rounds in flight and a list of waiters, instead of a Set of promises
//
// - Gains: publish() counts a round up and its settling counts it down; at zero, every idle()
//   waiting is released at once. No promises are kept, and idle() is one wait, not a loop: rounds
//   published while it waits simply keep the count above zero.
// - Costs: the count must come down on every path (a `finally`), or idle() hangs for ever; and
//   the waiters are callbacks to manage by hand. The answer key's Set of promises lets
//   `Promise.all` do the waiting, at the price of a loop for rounds published meanwhile.

// The given code is the answer key's; what follows is this approach's own.
import type { AsyncObserver, SubjectOptions } from "../subject";

export type { AsyncObserver, SubjectOptions };

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

  #inFlight = 0;
  #waiters: (() => void)[] = [];

  /** Starts a round and returns at once; its failures go to `options.onError`, never unhandled. */
  publish(value: T): void {
    this.#inFlight++;
    this.notify(value)
      .catch((error: AggregateError) => {
        try {
          this.options.onError(error, value);
        } catch {
          // onError is the last stop: what it throws goes nowhere, not even unhandled.
        }
      })
      .finally(() => {
        if (--this.#inFlight > 0) return;
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const wake of waiters) wake();
      });
  }

  /** Resolves once every published round has settled (including rounds published meanwhile). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
