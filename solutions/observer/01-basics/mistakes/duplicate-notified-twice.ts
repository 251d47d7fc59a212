// Mistake: attach() pushes without checking, so an observer attached twice is notified twice
// (Node's EventEmitter, mitt and eventemitter3 all do this).
// Caught by "notifies an observer attached twice only once".
export type { Observer, ObserverFunction, ObserverObject } from "../subject";

import type { Observer } from "../subject";

export class Subject<T> {
  readonly #observers: Observer<T>[] = [];

  attach(observer: Observer<T>): void {
    if (typeof observer !== "function" && typeof observer?.update !== "function") {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    this.#observers.push(observer);
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
