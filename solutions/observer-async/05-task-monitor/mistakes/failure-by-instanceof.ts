// Mistake: decides whether a task failed by looking at its result (`instanceof Error`) instead
// of at whether it threw: a task that resolves with an Error object is reported as failed.
// Caught by "counts a task that resolves with an Error object as fulfilled".
// Hint: a task fails by throwing or rejecting; an Error can be an ordinary value.
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
        const result: unknown = await Promise.resolve()
          .then(() => (tasks[index] as Task<R>)())
          .catch((reason: unknown) => reason);
        const outcome: PromiseSettledResult<R> =
          result instanceof Error
            ? { status: "rejected", reason: result }
            : { status: "fulfilled", value: result as R };
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
