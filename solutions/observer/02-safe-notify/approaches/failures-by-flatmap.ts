// Approach: The failures as an expression (flatMap) instead of a loop that pushes
//
// - Gains: `failures` is computed, never mutated: each observer maps to an empty list or to its
//   one ObserverError, and the shape of the result (a list of failures) is visible in one place.
// - Costs: a try/catch inside a callback reads less plainly than in a loop, a stack trace goes
//   through `flatMap`, and a loop is easier to grow (step 3 adds a depth check and a rethrow of
//   one kind of error, which a `return []` cannot express as clearly as `throw` in a loop).

// The given code is the answer key's; what follows is this approach's own.
import type { Observer, ObserverFunction, ObserverObject } from "../subject";
import { callObserver, ObserverError } from "../subject";

export type { Observer, ObserverFunction, ObserverObject };
export { callObserver, ObserverError };

/**
 * Step 1's subject, with a notify() that one failing observer cannot break: every observer runs,
 * and the failures are thrown together afterwards, as an AggregateError of ObserverErrors.
 */
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

  /** Calls every observer, even after one throws; then, if any threw, throws an AggregateError. */
  notify(value: T): void {
    // Each observer maps to no failure or one: no accumulator to push into.
    const failures = this.#observers.flatMap((observer): ObserverError[] => {
      try {
        callObserver(observer, value);
        return [];
      } catch (error) {
        return [new ObserverError(observer, error)];
      }
    });
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} observer(s) failed during notify()`);
    }
  }
}
