// Mistake: calls onError without guarding it, as if it could not fail. When it throws, the
// round's promise rejects unhandled and idle() rejects with it. Caught by "escapes nowhere: the
// slot is freed, the next value runs and idle() resolves".
// Hint: step 3's rule still holds under a limit: nothing a published round does may escape.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  protected override start(value: T): void {
    this.active++;
    const round: Promise<void> = this.notify(value)
      .catch((error: AggregateError) => this.options.onError(error, value))
      .finally(() => {
        this.active--;
        this.pending.delete(round);
        if (this.waiting.length > 0) this.start(this.waiting.shift() as T);
      });
    this.pending.add(round);
  }
}
