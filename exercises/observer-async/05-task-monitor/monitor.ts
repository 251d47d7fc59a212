/** A task: a function that does some work, synchronously or not, and returns its result. */
export type Task<R> = () => R | PromiseLike<R>;

/** What the monitor tells its observers; `index` is the task's position in the input. */
export type TaskEvent<R> =
  | { readonly type: "queued"; readonly index: number }
  | { readonly type: "started"; readonly index: number }
  | { readonly type: "finished"; readonly index: number; readonly value: R }
  | { readonly type: "failed"; readonly index: number; readonly error: unknown };

export type TaskObserver<R> = (event: TaskEvent<R>) => void;

/**
 * Runs tasks, at most `concurrency` at a time, and tells its observers how each one goes.
 * run() resolves with every outcome in input order, like Promise.allSettled.
 */
export class TaskMonitor<R> {
  protected readonly observers = new Set<TaskObserver<R>>();

  constructor(protected readonly options: { readonly concurrency: number }) {}

  attach(observer: TaskObserver<R>): void {
    this.observers.add(observer);
  }

  protected emit(event: TaskEvent<R>): void {
    for (const observer of this.observers) observer(event);
  }

  /**
   * Emits `queued` for every task (input order), then `started` and `finished`/`failed` for
   * each as it runs (completion order). A failing task is an outcome, not a rejection.
   */
  run(_tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    // TODO: emit the `queued` events, then let `concurrency` workers take tasks one by one,
    // storing each outcome at its task's index.
    throw new Error("TODO(observer-async/05): implement run()");
  }
}
