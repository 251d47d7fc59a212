// Mistake: when the queue is full, ignores the value and returns as if all were well: the event
// is lost and nobody knows. Caught by "throws a QueueFullError naming the limit when the queue is
// full" and "with maxQueue 0, refuses any value that cannot start at once".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override publish(value: T): void {
    if (this.active < this.options.concurrency) this.start(value);
    else if (this.waiting.length < this.options.maxQueue) this.waiting.push(value);
  }
}
