/** An observer: a function that may do its work asynchronously (return a promise) or not. */
export type AsyncObserver<T> = (value: T) => unknown;

/** A subject whose observers may be slow; notify() runs them all at once. */
export class AsyncSubject<T> {
  // A Set: an observer attached twice is still called once per notification.
  protected readonly observers = new Set<AsyncObserver<T>>();

  attach(observer: AsyncObserver<T>): void {
    this.observers.add(observer);
  }

  detach(observer: AsyncObserver<T>): void {
    this.observers.delete(observer);
  }

  async notify(value: T): Promise<void> {
    // map() starts every observer before we wait for any: the round takes as long as the
    // slowest observer, not the sum of all. The async wrapper turns a synchronous observer's
    // result (or throw) into a promise too. (Step 2 shows why Promise.all is not enough once
    // an observer fails.)
    await Promise.all([...this.observers].map(async (observer) => observer(value)));
  }
}
