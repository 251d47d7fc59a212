// Mistake: waits initialDelay before every retry instead of doubling it: retries keep arriving at
// the same rate, however long the outage lasts. Caught by "retries a failed job after
// initialDelay, then after twice that" and "keeps doubling the delay: 100, 200, 400, 800 ms".
import { JobQueue as Answer } from "../job-queue";

export * from "../job-queue";

export class JobQueue<P> extends Answer<P> {
  protected override async process(id: string, payload: P): Promise<void> {
    await Promise.resolve();
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
        const delay = this.options.initialDelay;
        this.emit({ type: "retrying", id, attempt, error, delay });
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      this.emit({ type: "succeeded", id, attempt });
      return;
    }
  }
}
