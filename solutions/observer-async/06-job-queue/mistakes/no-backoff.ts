// Mistake: retries at once, with no delay: a service that is down gets hammered by every retry
// of every job, at the very moment it is trying to recover. Caught by "retries a failed job after
// initialDelay, then after twice that" and "does not retry before the delay is up".
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
        this.emit({ type: "retrying", id, attempt, error, delay: 0 });
        continue;
      }
      this.emit({ type: "succeeded", id, attempt });
      return;
    }
  }
}
