// Mistake: runs everything first and only then emits the events, in input order: a progress bar
// sits at 0 % until it jumps to 100 %, and observers learn nothing about completion order.
// Caught by "tell when each task starts and ends, as it happens" and "carry the value of a
// finished task and the error of a failed one".
// Hint: observers watch the run, not its report: a progress bar must hear about each task while it
//   runs, not all at once when every task is done.
import { TaskMonitor as Answer, type Task } from "../monitor";

export * from "../monitor";

export class TaskMonitor<R> extends Answer<R> {
  override async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    const quiet = new Answer<R>(this.options);
    const outcomes = await quiet.run(tasks);
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });
    outcomes.forEach((outcome, index) => {
      this.emit({ type: "started", index });
      this.emit(
        outcome.status === "fulfilled"
          ? { type: "finished", index, value: outcome.value }
          : { type: "failed", index, error: outcome.reason },
      );
    });
    return outcomes;
  }
}
