// Approach: Copy the observers at each round, re-check each attachment before calling it
//
// - Gains: attach() and detach() are constant-time Map operations, nothing is replaced on
//   change; a round copies the Map's entries when it starts and, before each call, checks that
//   the observer is still attached by *that* attachment (a fresh token per attach), so one
//   detached and re-attached mid-round waits for the next round. Emittery works this way.
// - Costs: every notify() pays a copy, even when nobody changes anything; the answer key's
//   copy-on-write pays on attach and detach instead, which is cheaper when notifications
//   outnumber subscriptions (the usual case).

/** An observer written as a function: called with each value the subject notifies. */
export type ObserverFunction<T> = (value: T) => void;

/** An observer written as an object: its `update()` is called, with the object as `this`. */
export interface ObserverObject<T> {
  readonly update: (value: T) => void;
}

/** What a Subject accepts as an observer: a function, or an object with an `update()` method. */
export type Observer<T> = ObserverFunction<T> | ObserverObject<T>;

/** One observer's failure: `cause` is what it threw, `observer` is the observer that threw it. */
export class ObserverError extends Error {
  override readonly name = "ObserverError";

  constructor(
    readonly observer: Observer<never>,
    cause: unknown,
  ) {
    super(`an observer threw: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/** Thrown by a notify() nested more than `maxDepth` rounds deep (an observer keeps notifying). */
export class RecursionLimitError extends Error {
  override readonly name = "RecursionLimitError";

  constructor(readonly maxDepth: number) {
    super(`notify() was nested more than ${maxDepth} rounds deep`);
  }
}

/** Whether `value` is a function or an object with an `update()` method. */
export function isObserver(value: unknown): value is Observer<never> {
  return (
    typeof value === "function" || typeof (value as ObserverObject<never>)?.update === "function"
  );
}

/** Calls one observer: a function directly, an object through its `update()`. */
export function callObserver<T>(observer: Observer<T>, value: T): void {
  if (typeof observer === "function") observer(value);
  else observer.update(value);
}

export interface SubjectOptions {
  /** How many notify() rounds may be nested inside one another. Default: 32. */
  readonly maxDepth?: number;
}

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
