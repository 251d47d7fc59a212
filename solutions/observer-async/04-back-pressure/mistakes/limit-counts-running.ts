// Mistake: counts the running rounds against maxQueue too, so the queue refuses values while it
// still has room (off by `concurrency`). Caught by "throws a QueueFullError naming the limit when
// the queue is full" and "does not keep or run a value it refused".
import { AsyncSubject as Answer, QueueFullError } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override publish(value: T): void {
    if (this.active < this.options.concurrency) this.start(value);
    else if (this.active + this.waiting.length < this.options.maxQueue) this.waiting.push(value);
    else throw new QueueFullError(this.options.maxQueue);
  }
}
