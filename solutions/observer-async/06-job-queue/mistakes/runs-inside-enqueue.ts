// Mistake: starts the first attempt inside enqueue(), before it returns: the handler's
// synchronous work delays the caller, and the caller sees events about a job whose id it does
// not have yet. Caught by "returns before the handler runs; the handler then gets the payload".
import { JobQueue as Answer } from "../job-queue";

export * from "../job-queue";

export class JobQueue<P> extends Answer<P> {
  protected override async process(id: string, payload: P): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.emit({ type: "started", id, attempt });
      try {
        await this.options.handler(payload);
      } catch (error) {
        if (attempt >= this.options.maxAttempts) {
          this.deadLetters.push({ id, payload, attempts: attempt, error });
          this.emit({ type: "dead", id, attempts: attempt, error });
          return;
        }
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
