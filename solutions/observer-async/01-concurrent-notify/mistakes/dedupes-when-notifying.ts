// Mistake: keeps observers in an array and skips duplicates only when notifying, so detach()
// removes one copy of an observer attached twice and the other copy is still notified.
// Caught by "stops notifying an observer attached twice once it is detached".
// Hint: "attached twice is notified once" is a rule about the set of observers, not about one
// round: after one detach() the observer is not attached at all.
export type AsyncObserver<T> = (value: T) => unknown;

export class AsyncSubject<T> {
  private readonly observers: AsyncObserver<T>[] = [];

  attach(observer: AsyncObserver<T>): void {
    this.observers.push(observer);
  }

  detach(observer: AsyncObserver<T>): void {
    const i = this.observers.indexOf(observer);
    if (i >= 0) this.observers.splice(i, 1);
  }

  async notify(value: T): Promise<void> {
    await Promise.all([...new Set(this.observers)].map(async (observer) => observer(value)));
  }
}
