// Mistake: gives up after maxAttempts and just returns: the job vanishes without a trace, with
// no dead letter to inspect or replay and no event to alert on. Caught by "receives a job that
// failed maxAttempts times, with its payload and last error" and "see a dead event when a job
// runs out of attempts".
import { JobQueue as Answer } from "../job-queue";

export * from "../job-queue";

export class JobQueue<P> extends Answer<P> {
  protected override async process(id: string, payload: P): Promise<void> {
    await Promise.resolve();
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      this.emit({ type: "started", id, attempt });
      try {
        await this.options.handler(payload);
      } catch (error) {
        if (attempt === this.options.maxAttempts) return;
        const delay = this.options.initialDelay * 2 ** (attempt - 1);
        this.emit({ type: "retrying", id, attempt, error, delay });
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      this.emit({ type: "succeeded", id, attempt });
      return;
    }
  }
}
