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

/** publish() refused a value: `limit` values were already waiting. Nothing was queued. */
export class QueueFullError extends Error {
  override readonly name = "QueueFullError";

  constructor(readonly limit: number) {
    super(`the queue is full (${limit} waiting)`);
  }
}

export interface SubjectOptions<T> {
  /** How many rounds may run at once. */
  readonly concurrency: number;
  /** How many published values may wait for a free slot. */
  readonly maxQueue: number;
  /** The error channel: receives the failures of each published round, with its value. */
  readonly onError: (error: AggregateError, value: T) => void;
}

/**
 * A subject that runs at most `concurrency` rounds at once. Values published meanwhile wait in a
 * queue of at most `maxQueue`; when it is full, publish() throws a QueueFullError.
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

  // TODO: count the running rounds and keep a queue of waiting values. publish() starts a round
  // (as in step 3) if a slot is free, queues the value if there is room, and throws a
  // QueueFullError otherwise. When a round settles, its slot goes to the oldest waiting value.

  /** Starts a round now, or queues the value; throws a QueueFullError when the queue is full. */
  publish(_value: T): void {
    throw new Error("TODO(observer-async/04): implement publish() with a bounded queue");
  }

  /** How many rounds are running now. */
  get running(): number {
    throw new Error("TODO(observer-async/04): implement the running count");
  }

  /** How many published values wait for a slot. */
  get queued(): number {
    throw new Error("TODO(observer-async/04): implement the queued count");
  }

  /** Resolves once no round is running or queued. */
  idle(): Promise<void> {
    throw new Error("TODO(observer-async/04): implement idle()");
  }
}
