// Approach: Copy the observers at each round, re-check each attachment before calling it
//
// - Gains: attach() and detach() are constant-time Map operations, nothing is replaced on
//   change; a round copies the Map's entries when it starts and, before each call, checks that
//   the observer is still attached by *that* attachment (a fresh token per attach), so one
//   detached and re-attached mid-round waits for the next round. Emittery works this way.
// - Costs: every notify() pays a copy, even when nobody changes anything; the answer key's
//   copy-on-write pays on attach and detach instead, which is cheaper when notifications
//   outnumber subscriptions (the usual case).

// The given code is the answer key's; what follows is this approach's own.
import type { Observer, ObserverFunction, ObserverObject, SubjectOptions } from "../subject";
import { callObserver, isObserver, ObserverError, RecursionLimitError } from "../subject";

export type { Observer, ObserverFunction, ObserverObject, SubjectOptions };
export { callObserver, isObserver, ObserverError, RecursionLimitError };

/**
 * Step 2's subject (start from your answer), stable while observers change it mid-round:
 * one detached during a round is not called later in it; one attached waits for the next round.
 */
export class Subject<T> {
  readonly maxDepth: number;
  /** Each attached observer and the token of its attachment, in attach order. */
  readonly #attached = new Map<Observer<T>, object>();
  #depth = 0;

  constructor({ maxDepth = 32 }: SubjectOptions = {}) {
    this.maxDepth = maxDepth;
  }

  attach(observer: Observer<T>): void {
    if (!isObserver(observer)) {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (!this.#attached.has(observer)) this.#attached.set(observer, {});
  }

  detach(observer: Observer<T>): boolean {
    return this.#attached.delete(observer);
  }

  notify(value: T): void {
    if (this.#depth >= this.maxDepth) throw new RecursionLimitError(this.maxDepth);
    this.#depth++;
    const failures: ObserverError[] = [];
    try {
      // The round's own copy: later attaches are not in it.
      for (const [observer, token] of [...this.#attached]) {
        // Detached since (or detached and attached again, with a new token): skip it.
        if (this.#attached.get(observer) !== token) continue;
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
