// Approach: A countdown of observers still running, instead of Promise.all
//
// - Gains: shows what `Promise.all` does for you: start everything, count down as each
//   finishes, resolve at zero. The same shape grows into a progress report ("3 of 10 done") or a
//   deadline, which `Promise.all` cannot give.
// - Costs: three cases to get right by hand that `Promise.all` gets right for free: no observer
//   at all (resolve at once), an observer that throws synchronously (reject, not throw), and a
//   failure (reject once). More code, for a round that step 1 only needs to wait for.

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

  notify(value: T): Promise<void> {
    const round = [...this.observers]; // the observers attached now
    return new Promise<void>((resolve, reject) => {
      let running = round.length;
      if (running === 0) {
        resolve();
        return;
      }
      for (const observer of round) {
        // Every observer starts before any finishes; a synchronous throw becomes a rejection.
        new Promise((settle) => settle(observer(value))).then(() => {
          if (--running === 0) resolve();
        }, reject);
      }
    });
  }
}
