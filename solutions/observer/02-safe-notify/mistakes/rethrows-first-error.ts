// Mistake: every observer runs, but afterwards only the first failure is rethrown, bare: the
// other failures are lost, and nothing says which observer threw.
// Caught by "throws an AggregateError once the round is over" and "reports every failure, in attach order".
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
    const failures: unknown[] = [];
    for (const observer of this.#observers) {
      try {
        callObserver(observer, value);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
