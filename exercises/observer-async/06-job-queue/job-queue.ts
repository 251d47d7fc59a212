/** What the queue tells its observers about each job. */
export type JobEvent<P> =
  | { readonly type: "enqueued"; readonly id: string; readonly payload: P }
  | { readonly type: "started"; readonly id: string; readonly attempt: number }
  | { readonly type: "succeeded"; readonly id: string; readonly attempt: number }
  | {
      readonly type: "retrying";
      readonly id: string;
      readonly attempt: number;
      readonly error: unknown;
      /** Milliseconds until the next attempt. */
      readonly delay: number;
    }
  | {
      readonly type: "dead";
      readonly id: string;
      readonly attempts: number;
      readonly error: unknown;
    };

/** A job that failed every attempt, kept for someone to look at. */
export interface DeadLetter<P> {
  readonly id: string;
  readonly payload: P;
  readonly attempts: number;
  /** The last attempt's error. */
  readonly error: unknown;
}

export interface JobQueueOptions<P> {
  /** Does the work; a throw or a rejection fails the attempt. */
  readonly handler: (payload: P) => unknown;
  /** Attempts per job, the first one included. */
  readonly maxAttempts: number;
  /** Milliseconds before the first retry; each later retry waits twice as long as the last. */
  readonly initialDelay: number;
}

/**
 * A background job queue, like Celery's `task.delay()`: enqueue() returns an id at once, the
 * handler runs later, failed attempts are retried with exponential backoff, and a job that fails
 * every attempt ends in `deadLetters`.
 */
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

  // TODO: give each job a new id, emit `enqueued`, and run the job in the background: after
  // enqueue() has returned, attempt the handler; retry a failed attempt after initialDelay,
  // 2 × initialDelay, 4 × initialDelay…; after maxAttempts, record a dead letter. Emit an
  // event at each step, and keep each running job's promise so that idle() can wait for it.

  /** Accepts a job and returns its id at once; the handler runs after enqueue() returns. */
  enqueue(_payload: P): string {
    throw new Error("TODO(observer-async/06): implement enqueue()");
  }

  /** Resolves once every job has succeeded or ended in the dead letters. */
  idle(): Promise<void> {
    throw new Error("TODO(observer-async/06): implement idle()");
  }
}
