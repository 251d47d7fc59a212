// Mistake: attach() uses unshift(), so the newest observer is notified first; a subscriber that
// must run after another (a log line after the e-mail it logs) runs before it.
// Caught by "notifies observers in the order they were attached".
export type { Observer, ObserverFunction, ObserverObject } from "../subject";

import type { Observer } from "../subject";

export class Subject<T> {
  readonly #observers: Observer<T>[] = [];

  attach(observer: Observer<T>): void {
    if (typeof observer !== "function" && typeof observer?.update !== "function") {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (!this.#observers.includes(observer)) this.#observers.unshift(observer);
  }

  detach(observer: Observer<T>): boolean {
    const index = this.#observers.indexOf(observer);
    if (index === -1) return false;
    this.#observers.splice(index, 1);
    return true;
  }

  notify(value: T): void {
    for (const observer of this.#observers) {
      if (typeof observer === "function") observer(value);
      else observer.update(value);
    }
  }
}
