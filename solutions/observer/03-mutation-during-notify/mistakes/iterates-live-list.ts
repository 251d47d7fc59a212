// Mistake: notify() walks the live array by index while detach() splices it: when an observer
// detaches itself, the next one slides into its slot and is skipped; and an observer attached
// during the round is called in that same round.
// Caught by "still calls the next observer when one detaches itself" and "calls an observer
// attached during a round from the next round on".
export {
  callObserver,
  isObserver,
  type Observer,
  ObserverError,
  type ObserverFunction,
  type ObserverObject,
  RecursionLimitError,
  type SubjectOptions,
} from "../subject";

import {
  callObserver,
  isObserver,
  type Observer,
  ObserverError,
  RecursionLimitError,
  type SubjectOptions,
} from "../subject";

/**
 * Step 2's subject (start from your answer), stable while observers change it mid-round:
 * one detached during a round is not called later in it; one attached waits for the next round.
 */
export class Subject<T> {
  readonly maxDepth: number;
  readonly #observers: Observer<T>[] = [];
  #depth = 0;

  constructor({ maxDepth = 32 }: SubjectOptions = {}) {
    this.maxDepth = maxDepth;
  }

  attach(observer: Observer<T>): void {
    if (!isObserver(observer)) {
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
    if (this.#depth >= this.maxDepth) throw new RecursionLimitError(this.maxDepth);
    this.#depth++;
    const failures: ObserverError[] = [];
    try {
      // The live array: a splice() during the round shifts the next observer into the slot
      // just visited, and a push() lengthens the round.
      for (let i = 0; i < this.#observers.length; i++) {
        const observer = this.#observers[i] as Observer<T>;
        try {
          callObserver(observer, value);
        } catch (error) {
          if (error instanceof RecursionLimitError) throw error;
          failures.push(new ObserverError(observer, error));
        }
      }
    } finally {
      this.#depth--;
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} observer(s) failed during notify()`);
    }
  }
}
