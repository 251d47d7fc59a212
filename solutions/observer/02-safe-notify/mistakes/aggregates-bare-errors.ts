// Mistake: the failures are aggregated but not wrapped, so the AggregateError holds the raw
// errors and nobody can tell which observer threw which.
// Caught by "wraps the failure in an ObserverError with the observer and the original error as cause".
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
    if (failures.length > 0) throw new AggregateError(failures, "observers failed");
  }
}
