// Mistake: starts every task at once with allSettled and never looks at `concurrency`: a
// thousand tasks open a thousand connections. Caught by "runs at most `concurrency` tasks at
// once" and "tell when each task starts and ends, as it happens".
// Hint: a thousand tasks must not mean a thousand at once; ask how many of them your run starts
//   before the first one ends.
import { TaskMonitor as Answer, type Task } from "../monitor";

export * from "../monitor";

export class TaskMonitor<R> extends Answer<R> {
  override async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });
    return Promise.allSettled(
      tasks.map(async (task, index) => {
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
  }
}
