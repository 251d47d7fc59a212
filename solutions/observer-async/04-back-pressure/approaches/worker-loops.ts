// Approach: Worker loops that take the next waiting value, instead of a slot handed on in finally
//
// - Gains: each running slot is one async loop that reads top to bottom: run a round, report its
//   failure, take the oldest waiting value, repeat until none waits. The number of loops is the
//   number of rounds running, and the hand-off lives in one place (how p-queue and async.queue
//   think of it).
// - Costs: a loop must never let an error escape, or it dies and its slot is lost for good (here
//   onError's own throw is caught inside it); its slot must be counted before it starts, since
//   its first round runs (and may publish) before the loop's promise exists; and the next value
//   starts a microtask after the round settles rather than in the same callback.

// The given code is the answer key's; what follows is this approach's own.
import type { AsyncObserver, SubjectOptions } from "../subject";
import { QueueFullError } from "../subject";

export type { AsyncObserver, SubjectOptions };
export { QueueFullError };

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
  readonly #loops = new Set<Promise<void>>();
  /** Counted before a loop starts: its first round may publish before the loop is in the Set. */
  #busy = 0;

  /** Starts a round now, or queues the value; throws a QueueFullError when the queue is full. */
  publish(value: T): void {
    if (this.#busy < this.options.concurrency) {
      this.#busy++;
      const loop: Promise<void> = this.#work(value).finally(() => {
        this.#busy--;
        this.#loops.delete(loop);
      });
      this.#loops.add(loop);
    } else if (this.waiting.length < this.options.maxQueue) {
      this.waiting.push(value);
    } else {
      throw new QueueFullError(this.options.maxQueue);
    }
  }

  /** How many rounds are running now: one per loop. */
  get running(): number {
    return this.#busy;
  }

  /** How many published values wait for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves once no round is running or queued. */
  async idle(): Promise<void> {
    while (this.#loops.size > 0) await Promise.all(this.#loops);
  }

  /** One slot: runs `value`'s round, then each waiting value in turn, until none waits. */
  async #work(value: T): Promise<void> {
    let next: T | undefined = value;
    let more = true;
    while (more) {
      const current = next as T;
      try {
        await this.notify(current);
      } catch (error) {
        try {
          this.options.onError(error as AggregateError, current);
        } catch {
          // onError is the last stop; the loop, and its slot, must survive it.
        }
      }
      more = this.waiting.length > 0;
      next = this.waiting.shift();
    }
  }
}
