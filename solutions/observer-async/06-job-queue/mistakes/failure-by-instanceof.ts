// Mistake: decides whether an attempt failed by looking at what the handler produced
// (`instanceof Error`), so a rejection with `undefined` or a string counts as a success and is
// never retried nor dead-lettered, while a handler that resolves with an Error is retried.
// Caught by "counts a rejection with undefined, null or a non-Error as a failure" and "counts a
// handler that resolves with an Error object as a success".
// Hint: an attempt fails by throwing or rejecting, whatever is thrown; an Error can be a value.
import { JobQueue as Answer } from "../job-queue";

export * from "../job-queue";

export class JobQueue<P> extends Answer<P> {
  protected override async process(id: string, payload: P): Promise<void> {
    await Promise.resolve();
    for (let attempt = 1; ; attempt++) {
      this.emit({ type: "started", id, attempt });
      try {
        const result: unknown = await Promise.resolve()
          .then(() => this.options.handler(payload))
          .catch((reason: unknown) => reason);
        if (result instanceof Error) throw result;
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
