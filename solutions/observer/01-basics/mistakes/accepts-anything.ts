// Mistake: attach() trusts its argument. A value that is not an observer is accepted and only
// blows up later, inside notify(), far from the line that attached it.
// Caught by "rejects … with a TypeError naming `observer`" and "attaches nothing when it rejects".
export type { Observer, ObserverFunction, ObserverObject } from "../subject";

import type { Observer } from "../subject";

export class Subject<T> {
  readonly #observers: Observer<T>[] = [];

  attach(observer: Observer<T>): void {
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
      if (typeof observer === "function") observer(value);
      else observer.update(value);
    }
  }
}
