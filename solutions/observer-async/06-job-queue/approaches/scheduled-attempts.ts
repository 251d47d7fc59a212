// Approach: Each attempt scheduled as its own callback, instead of one async loop per job
//
// - Gains: between attempts a job is only data (id, payload, attempt number) in a timer's
//   callback, with no suspended async function holding it: the shape a persistent queue needs,
//   where the next attempt is a row with a due time that any worker can pick up (BullMQ's
//   delayed jobs). idle() is a count of unfinished jobs and the callbacks waiting for zero.
// - Costs: the job's story is spread over three methods instead of one loop, and the count of
//   unfinished jobs must be brought down on exactly the two paths that end a job (success,
//   dead letter), by hand.

// The given code is the answer key's; what follows is this approach's own.
import type { DeadLetter, JobEvent, JobQueueOptions } from "../job-queue";

export type { DeadLetter, JobEvent, JobQueueOptions };

/** A background job queue with retries, exponential backoff and a dead-letter list. */
export class JobQueue<P> {
  readonly deadLetters: DeadLetter<P>[] = [];
  protected readonly observers = new Set<(event: JobEvent<P>) => void>();

  constructor(protected readonly options: JobQueueOptions<P>) {}

  attach(observer: (event: JobEvent<P>) => void): void {
    this.observers.add(observer);
  }

  /**
   * Tells every observer about `event`. An observer that throws is skipped: it cannot fail, retry
   * or kill a job, nor keep the event from the observers after it.
   */
  protected emit(event: JobEvent<P>): void {
    for (const observer of this.observers) {
      try {
        observer(event);
      } catch {
        // The observer's failure is its own: a job's fate is decided by its handler alone.
      }
    }
  }

  protected nextId = 1;
  #unfinished = 0;
  #waiters: (() => void)[] = [];

  /** Accepts a job and returns its id at once; the handler runs after enqueue() returns. */
  enqueue(payload: P): string {
    const id = `job-${this.nextId++}`;
    this.#unfinished++;
    this.emit({ type: "enqueued", id, payload });
    // After enqueue() returns, as Celery's delay() does.
    queueMicrotask(() => this.#attempt(id, payload, 1));
    return id;
  }

  /** Resolves once every job has succeeded or ended in the dead letters. */
  idle(): Promise<void> {
    if (this.#unfinished === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #attempt(id: string, payload: P, attempt: number): void {
    this.emit({ type: "started", id, attempt });
    // new Promise(…) turns a synchronous throw into a rejection, like an await would.
    new Promise((resolve) => resolve(this.options.handler(payload))).then(
      () => {
        this.emit({ type: "succeeded", id, attempt });
        this.#finished();
      },
      (error: unknown) => this.#failed(id, payload, attempt, error),
    );
  }

  #failed(id: string, payload: P, attempt: number, error: unknown): void {
    if (attempt >= this.options.maxAttempts) {
      this.deadLetters.push({ id, payload, attempts: attempt, error });
      this.emit({ type: "dead", id, attempts: attempt, error });
      this.#finished();
      return;
    }
    const delay = this.options.initialDelay * 2 ** (attempt - 1);
    this.emit({ type: "retrying", id, attempt, error, delay });
    setTimeout(() => this.#attempt(id, payload, attempt + 1), delay);
  }

  #finished(): void {
    if (--this.#unfinished > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
