// Mistake: runs the tasks in batches of `concurrency` and waits for a whole batch before the
// next: one slow task holds every slot of its batch idle. Caught by "starts a waiting task as
// soon as any slot frees, not when a whole batch is done".
// Hint: a concurrency limit caps how many tasks run at once; it does not make a task wait for its
//   neighbours. What does a free slot do while one slow task is still running?
import { TaskMonitor as Answer, type Task } from "../monitor";

export * from "../monitor";

export class TaskMonitor<R> extends Answer<R> {
  override async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });
    const outcomes: PromiseSettledResult<R>[] = [];
    for (let first = 0; first < tasks.length; first += this.options.concurrency) {
      const batch = tasks.slice(first, first + this.options.concurrency);
      const settled = await Promise.allSettled(
        batch.map(async (task, offset) => {
          const index = first + offset;
          this.emit({ type: "started", index });
          try {
            const value = await task();
            this.emit({ type: "finished", index, value });
            return value;
          } catch (error) {
            this.emit({ type: "failed", index, error });
            throw error;
          }
        }),
      );
      outcomes.push(...settled);
    }
    return outcomes;
  }
}
