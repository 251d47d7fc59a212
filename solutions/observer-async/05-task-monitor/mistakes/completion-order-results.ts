// Mistake: pushes each outcome when its task finishes, so the results come back in completion
// order and the caller cannot tell which result belongs to which task. Caught by "returns every
// outcome in input order, whatever order the tasks finish in".
import { TaskMonitor as Answer, type Task } from "../monitor";

export * from "../monitor";

export class TaskMonitor<R> extends Answer<R> {
  override async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    const outcomes: PromiseSettledResult<R>[] = [];
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const index = next++;
        this.emit({ type: "started", index });
        try {
          const value = await (tasks[index] as Task<R>)();
          outcomes.push({ status: "fulfilled", value });
          this.emit({ type: "finished", index, value });
        } catch (reason) {
          outcomes.push({ status: "rejected", reason });
          this.emit({ type: "failed", index, error: reason });
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency, tasks.length) }, worker),
    );
    return outcomes;
  }
}
