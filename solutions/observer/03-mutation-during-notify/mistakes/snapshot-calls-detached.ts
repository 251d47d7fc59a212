// Mistake: the source article's thread-safe notify(): a snapshot of the list, with no check that
// an observer is still attached. An observer detached earlier in the round is called anyway
// (Node's EventEmitter, mitt and eventemitter3 do the same).
// Caught by "does not call an observer that an earlier one detached in the same round".
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

/** One attached observer. `live` turns false on detach, so a round in progress can skip it. */
interface Entry<T> {
  readonly observer: Observer<T>;
  live: boolean;
}

/**
 * Step 2's subject (start from your answer), stable while observers change it mid-round:
 * one detached during a round is not called later in it; one attached waits for the next round.
 */
export class Subject<T> {
  readonly maxDepth: number;
  /** Never changed in place, only replaced: a round keeps iterating the array it started with. */
  #entries: readonly Entry<T>[] = [];
  #depth = 0;

  constructor({ maxDepth = 32 }: SubjectOptions = {}) {
    this.maxDepth = maxDepth;
  }

  attach(observer: Observer<T>): void {
    if (!isObserver(observer)) {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (this.#entries.some((e) => e.observer === observer)) return;
    this.#entries = [...this.#entries, { observer, live: true }];
  }

  detach(observer: Observer<T>): boolean {
    const entry = this.#entries.find((e) => e.observer === observer);
    if (entry === undefined) return false;
    entry.live = false; // a round in progress skips it from now on
    this.#entries = this.#entries.filter((e) => e !== entry);
    return true;
  }

  notify(value: T): void {
    if (this.#depth >= this.maxDepth) throw new RecursionLimitError(this.maxDepth);
    this.#depth++;
    const failures: ObserverError[] = [];
    try {
      // The array as it is now: attach() and detach() replace #entries, never change this one.
      for (const entry of this.#entries) {
        try {
          callObserver(entry.observer, value);
        } catch (error) {
          // Runaway recursion is a bug, not an observer's failure: let it unwind every round.
          if (error instanceof RecursionLimitError) throw error;
          failures.push(new ObserverError(entry.observer, error));
        }
      }
    } finally {
      this.#depth--; // also when the RecursionLimitError unwinds, or the subject stays stuck
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} observer(s) failed during notify()`);
    }
  }
}
