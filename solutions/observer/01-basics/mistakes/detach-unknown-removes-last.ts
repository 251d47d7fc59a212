// Mistake: detach() splices at indexOf() without checking for -1, and splice(-1, 1) removes the
// last observer: detaching an unknown observer silently detaches someone else.
// Caught by "returns false and changes nothing for an observer that was never attached".
export type { Observer, ObserverFunction, ObserverObject } from "../subject";

import type { Observer } from "../subject";

export class Subject<T> {
  readonly #observers: Observer<T>[] = [];

  attach(observer: Observer<T>): void {
    if (typeof observer !== "function" && typeof observer?.update !== "function") {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (!this.#observers.includes(observer)) this.#observers.push(observer);
  }

  detach(observer: Observer<T>): boolean {
    const removed = this.#observers.splice(this.#observers.indexOf(observer), 1);
    return removed.length > 0;
  }

  notify(value: T): void {
    for (const observer of this.#observers) {
      if (typeof observer === "function") observer(value);
      else observer.update(value);
    }
  }
}
