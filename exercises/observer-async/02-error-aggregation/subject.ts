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

/**
 * A subject whose observers may be slow and may fail. `notify(value)` runs every observer at
 * once, waits for all of them, and reports every failure together in one `AggregateError`.
 */
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
  notify(_value: T): Promise<void> {
    // TODO: run every observer at once, wait until all have settled (not just until the first
    // failure), then throw an AggregateError ("2 of 3 observers failed") if any failed.
    throw new Error("TODO(observer-async/02): implement notify() with error aggregation");
  }
}
