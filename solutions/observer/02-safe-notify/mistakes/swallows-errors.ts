// Mistake: the source article's "robust" notify(): each failure is caught and logged, and the
// caller never learns that the SMS was not sent.
// Caught by "throws an AggregateError once the round is over" (and the tests that read it).
export {
  callObserver,
  type Observer,
  ObserverError,
  type ObserverFunction,
  type ObserverObject,
} from "../subject";

import { callObserver, type Observer } from "../subject";

export class Subject<T> {
  readonly #observers: Observer<T>[] = [];

  attach(observer: Observer<T>): void {
    if (typeof observer !== "function" && typeof observer?.update !== "function") {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (!this.#observers.includes(observer)) this.#observers.push(observer);
  }

  detach(observer: Observer<T>): boolean {
    const index = this.#observers.indexOf(observer);
    if (index === -1) return false;
    this.#observers.splice(index, 1);
    return true;
  }

  notify(value: T): void {
    for (const observer of this.#observers) {
      try {
        callObserver(observer, value);
      } catch {
        // "Log and continue notifying other observers" (the source used print()).
      }
    }
  }
}
