// Approach: Each observer's failure caught where it happens, then Promise.all
//
// - Gains: each observer's promise catches its own failure and turns it into an ObserverError
//   on the spot, where the observer is in scope: nothing rejects, so `Promise.all` waits for
//   every one, and there are no outcomes to pair with observers by index.
// - Costs: `Promise.all` now waits for all only because nothing can reject: a later edit that
//   lets one failure escape the catch brings back the early exit `allSettled` rules out by
//   itself. "undefined means success" is a convention the reader must learn.

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

/** A subject whose observers may be slow and may fail; notify() reports every failure. */
export class AsyncSubject<T> {
  protected readonly observers = new Set<AsyncObserver<T>>();

  attach(observer: AsyncObserver<T>): void {
    this.observers.add(observer);
  }

  detach(observer: AsyncObserver<T>): void {
    this.observers.delete(observer);
  }

  /**
   * Resolves when every observer has succeeded; otherwise rejects, once every observer has
   * settled, with an AggregateError of one ObserverError per failure, in attach order.
   */
  async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const results = await Promise.all(
      observers.map(async (observer) => {
        try {
          await observer(value);
          return undefined;
        } catch (cause) {
          return new ObserverError(observer, cause);
        }
      }),
    );
    // In attach order: results[i] belongs to observers[i], whatever order they settled in.
    const errors = results.filter((r): r is ObserverError => r !== undefined);
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} of ${observers.length} observers failed`);
    }
  }
}
