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

  protected readonly pending = new Set<Promise<void>>();
  protected nextId = 1;

  /** Accepts a job and returns its id at once; the handler runs after enqueue() returns. */
  enqueue(payload: P): string {
    // A counter, not Date.now(): two jobs enqueued in the same millisecond get different ids.
    const id = `job-${this.nextId++}`;
    this.emit({ type: "enqueued", id, payload });
    const job: Promise<void> = this.process(id, payload).finally(() => this.pending.delete(job));
    this.pending.add(job);
    return id;
  }

  /** Resolves once every job has succeeded or ended in the dead letters. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  protected async process(id: string, payload: P): Promise<void> {
    // Like Celery's delay(): the caller gets its id before any handler code runs.
    await Promise.resolve();
    for (let attempt = 1; ; attempt++) {
      this.emit({ type: "started", id, attempt });
      try {
        await this.options.handler(payload);
      } catch (error) {
        if (attempt >= this.options.maxAttempts) {
          // Out of attempts: keep the job where someone can see it, never drop it.
          this.deadLetters.push({ id, payload, attempts: attempt, error });
          this.emit({ type: "dead", id, attempts: attempt, error });
          return;
        }
        // Exponential backoff: a struggling service gets more and more room to recover.
        const delay = this.options.initialDelay * 2 ** (attempt - 1);
        this.emit({ type: "retrying", id, attempt, error, delay });
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      // After the try, not inside it: only the handler decides whether an attempt failed.
      this.emit({ type: "succeeded", id, attempt });
      return;
    }
  }
}
