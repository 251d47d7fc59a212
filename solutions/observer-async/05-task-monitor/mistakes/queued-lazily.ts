// Mistake: emits `queued` for a task only when a worker picks it up, just before `started`, so
// observers never know the total up front (a progress bar cannot draw "3/20"). Caught by
// "announce every task as queued, in input order, before any starts".
import { TaskMonitor as Answer, type Task } from "../monitor";

export * from "../monitor";

export class TaskMonitor<R> extends Answer<R> {
  override async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    const outcomes = new Array<PromiseSettledResult<R>>(tasks.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const index = next++;
        this.emit({ type: "queued", index });
        this.emit({ type: "started", index });
        try {
          const value = await (tasks[index] as Task<R>)();
          outcomes[index] = { status: "fulfilled", value };
          this.emit({ type: "finished", index, value });
        } catch (reason) {
          outcomes[index] = { status: "rejected", reason };
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
