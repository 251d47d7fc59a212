// Approach: A Set instead of an array
//
// - Gains: a Set is the rule "each observer once" by construction: `add()` of an attached
//   observer changes nothing, `delete()` returns whether it was there (no `indexOf` of -1 to
//   trip on), both in constant time, and it iterates in insertion order.
// - Costs: iterating a Set while observers attach during the round visits the new ones in that
//   same round (an array's `for…of` does too, past its end): step 3 has to snapshot either way.
//   And "attached twice, notified twice" (EventEmitter's rule) cannot be expressed with a Set.

// The given code is the answer key's; what follows is this approach's own.
import type { Observer, ObserverFunction, ObserverObject } from "../subject";

export type { Observer, ObserverFunction, ObserverObject };

/**
 * Keeps a set of observers and notifies each one, in the order they were attached.
 * Attaching an observer twice notifies it once; detaching an unknown one changes nothing.
 */
export class Subject<T> {
  readonly #observers = new Set<Observer<T>>();

  attach(observer: Observer<T>): void {
    const isObserver =
      typeof observer === "function" ||
      typeof (observer as { update?: unknown } | null)?.update === "function";
    if (!isObserver) {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    this.#observers.add(observer);
  }

  detach(observer: Observer<T>): boolean {
    return this.#observers.delete(observer);
  }

  notify(value: T): void {
    for (const observer of this.#observers) {
      if (typeof observer === "function") observer(value);
      else observer.update(value);
    }
  }
}
