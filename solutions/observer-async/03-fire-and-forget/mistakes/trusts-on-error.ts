// Mistake: calls onError without guarding it. When onError itself throws (a logger that is down
// too), the round's promise rejects with nobody to handle it: an unhandled rejection, and idle()
// rejects with it. Caught by "does not become an unhandled rejection, and idle() still
// resolves".
// Hint: the error channel is the last stop of a fire-and-forget round; ask what happens when the
// last stop fails too.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override publish(value: T): void {
    const round: Promise<void> = this.notify(value)
      .catch((error: AggregateError) => this.options.onError(error, value))
      .finally(() => this.pending.delete(round));
    this.pending.add(round);
  }
}
