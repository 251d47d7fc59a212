// Mistake: lets a task's failure propagate out of its worker, so run() rejects with the first
// error (Promise.all) and that worker stops taking tasks: one bad file aborts the whole batch.
// Caught by "turns a failing task into a rejected outcome and runs the others anyway" and "turns
// a task that throws synchronously into a rejected outcome".
import { TaskMonitor as Answer, type Task } from "../monitor";

export * from "../monitor";

export class TaskMonitor<R> extends Answer<R> {
  override async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    const outcomes = new Array<PromiseSettledResult<R>>(tasks.length);
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const index = next++;
        this.emit({ type: "started", index });
        const value = await (tasks[index] as Task<R>)();
        outcomes[index] = { status: "fulfilled", value };
        this.emit({ type: "finished", index, value });
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency, tasks.length) }, worker),
    );
    return outcomes;
  }
}
