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

/** A subject that runs at most `concurrency` rounds at once, with a bounded queue. */
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

  protected readonly waiting: T[] = [];
  protected readonly pending = new Set<Promise<void>>();
  protected active = 0;

  /** Starts a round now, or queues the value; throws a QueueFullError when the queue is full. */
  publish(value: T): void {
    if (this.active < this.options.concurrency) this.start(value);
    else if (this.waiting.length < this.options.maxQueue) this.waiting.push(value);
    // Refuse loudly: the caller still has the value and can retry, shed load or slow down.
    else throw new QueueFullError(this.options.maxQueue);
  }

  /** How many rounds are running now. */
  get running(): number {
    return this.active;
  }

  /** How many published values wait for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves once no round is running or queued. */
  async idle(): Promise<void> {
    // A waiting value starts before the round that freed its slot settles: the Set is never
    // empty while something waits.
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  protected start(value: T): void {
    this.active++;
    const round: Promise<void> = this.notify(value)
      .catch((error: AggregateError) => {
        try {
          this.options.onError(error, value);
        } catch {
          // As in step 3: an error thrown by onError has nowhere left to go.
        }
      })
      .finally(() => {
        // finally, not then: a failed round must free its slot too.
        this.active--;
        this.pending.delete(round);
        if (this.waiting.length > 0) this.start(this.waiting.shift() as T);
      });
    this.pending.add(round);
  }
}
