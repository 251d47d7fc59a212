// Mistake: takes the newest waiting value (pop) instead of the oldest (shift), so under load the
// first values wait longest and may starve. Caught by "starts waiting values in publish order as
// slots free up".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  protected override start(value: T): void {
    this.active++;
    const round: Promise<void> = this.notify(value)
      .catch((error: AggregateError) => {
        try {
          this.options.onError(error, value);
        } catch {
          // As in step 3: an error thrown by onError has nowhere left to go.
        }
      })
      .finally(() => {
        this.active--;
        this.pending.delete(round);
        if (this.waiting.length > 0) this.start(this.waiting.pop() as T);
      });
    this.pending.add(round);
  }
}
