// Mistake: a failing observer is detached "so it cannot break the next round". A flaky SMS
// gateway that fails once is then unsubscribed for good, silently.
// Caught by "keeps a failing observer attached: it runs again in the next round".
export {
  callObserver,
  type Observer,
  ObserverError,
  type ObserverFunction,
  type ObserverObject,
} from "../subject";

import { callObserver, type Observer, ObserverError } from "../subject";

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
    const failures: ObserverError[] = [];
    for (const observer of [...this.#observers]) {
      try {
        callObserver(observer, value);
      } catch (error) {
        failures.push(new ObserverError(observer, error));
        this.detach(observer);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, "observers failed");
  }
}
