// Mistake: notify() takes `observer.update` out of its object and calls it bare, so inside
// update() `this` is undefined and a class observer that uses its own fields throws.
// Caught by "calls update() on an object observer, with the object as this".
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
    const index = this.#observers.indexOf(observer);
    if (index === -1) return false;
    this.#observers.splice(index, 1);
    return true;
  }

  notify(value: T): void {
    for (const observer of this.#observers) {
      const fn = typeof observer === "function" ? observer : observer.update;
      fn(value);
    }
  }
}
