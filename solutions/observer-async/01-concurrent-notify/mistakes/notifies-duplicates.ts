// Mistake: keeps observers in an array without checking for duplicates, so an observer attached
// twice is called twice per notification. Caught by "notifies an observer attached twice only
// once".
export type AsyncObserver<T> = (value: T) => unknown;

export class AsyncSubject<T> {
  private observers: AsyncObserver<T>[] = [];

  attach(observer: AsyncObserver<T>): void {
    this.observers.push(observer);
  }

  detach(observer: AsyncObserver<T>): void {
    this.observers = this.observers.filter((o) => o !== observer);
  }

  async notify(value: T): Promise<void> {
    await Promise.all(this.observers.map(async (observer) => observer(value)));
  }
}
