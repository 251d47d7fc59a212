// Mistake: makes publish() async and awaits the round, so the caller gets a promise and, if it
// awaits it, waits for the observers: that is notify(), not fire-and-forget.
// Caught by "returns undefined at once, before asynchronous observers finish".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async publish(value: T): Promise<void> {
    try {
      await this.notify(value);
    } catch (error) {
      this.options.onError(error as AggregateError, value);
    }
  }
}
