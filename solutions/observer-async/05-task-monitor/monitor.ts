/** A task: a function that does some work, synchronously or not, and returns its result. */
export type Task<R> = () => R | PromiseLike<R>;

/** What the monitor tells its observers; `index` is the task's position in the input. */
export type TaskEvent<R> =
  | { readonly type: "queued"; readonly index: number }
  | { readonly type: "started"; readonly index: number }
  | { readonly type: "finished"; readonly index: number; readonly value: R }
  | { readonly type: "failed"; readonly index: number; readonly error: unknown };

export type TaskObserver<R> = (event: TaskEvent<R>) => void;

/** Runs tasks, at most `concurrency` at a time, and tells its observers how each one goes. */
export class TaskMonitor<R> {
  protected readonly observers = new Set<TaskObserver<R>>();

  constructor(protected readonly options: { readonly concurrency: number }) {}

  attach(observer: TaskObserver<R>): void {
    this.observers.add(observer);
  }

  protected emit(event: TaskEvent<R>): void {
    for (const observer of this.observers) observer(event);
  }

  async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    const outcomes = new Array<PromiseSettledResult<R>>(tasks.length);
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });

    // A pool of workers: each takes the next task as soon as its last one is done, so no slot
    // sits idle while tasks wait (unlike running fixed batches of `concurrency` tasks).
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const index = next++;
        this.emit({ type: "started", index });
        let outcome: PromiseSettledResult<R>;
        try {
          outcome = { status: "fulfilled", value: await (tasks[index] as Task<R>)() };
        } catch (reason) {
          outcome = { status: "rejected", reason };
        }
        // Stored at its own index: input order, whatever order the tasks finish in.
        outcomes[index] = outcome;
        this.emit(
          outcome.status === "fulfilled"
            ? { type: "finished", index, value: outcome.value }
            : { type: "failed", index, error: outcome.reason },
        );
      }
    };
    const workers = Math.min(this.options.concurrency, tasks.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return outcomes;
  }
}
