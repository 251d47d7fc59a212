// Mistake: keeps the next task's index on the monitor instead of in run(), so a second run starts
// where the first stopped (it runs nothing), and two overlapping runs take each other's indexes.
// Caught by "runs again from the first task on a second run" and "keeps two overlapping runs
// apart: each runs its own tasks once and gets its own outcomes".
// Hint: what belongs to one run (its cursor, its outcomes) lives in that run's scope, not on the
// object that may run again, or twice at once.
import { TaskMonitor as Answer, type Task } from "../monitor";

export * from "../monitor";

export class TaskMonitor<R> extends Answer<R> {
  private next = 0;

  override async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    const outcomes = new Array<PromiseSettledResult<R>>(tasks.length);
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });
    const worker = async (): Promise<void> => {
      while (this.next < tasks.length) {
        const index = this.next++;
        this.emit({ type: "started", index });
        let outcome: PromiseSettledResult<R>;
        try {
          outcome = { status: "fulfilled", value: await (tasks[index] as Task<R>)() };
        } catch (reason) {
          outcome = { status: "rejected", reason };
        }
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
