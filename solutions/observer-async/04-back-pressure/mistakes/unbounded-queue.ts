// Mistake: queues every value it cannot start, without a limit. When producers outpace the
// observers, memory grows until the process dies, and nobody is told to slow down.
// Caught by "throws a QueueFullError naming the limit when the queue is full" and the other
// bounded-queue tests.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override publish(value: T): void {
    if (this.active < this.options.concurrency) this.start(value);
    else this.waiting.push(value);
  }
}
