// Mistake: starts every round at once, so the queue is never used and the limit means nothing:
// a burst of events opens a burst of connections. Caught by "runs at most `concurrency` rounds
// at once" and "starts waiting values in publish order as slots free up".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override publish(value: T): void {
    this.start(value);
  }
}
