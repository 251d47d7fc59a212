// Approach: The failures as an expression (flatMap) instead of a loop that pushes
//
// - Gains: `failures` is computed, never mutated: each observer maps to an empty list or to its
//   one ObserverError, and the shape of the result (a list of failures) is visible in one place.
// - Costs: a try/catch inside a callback reads less plainly than in a loop, a stack trace goes
//   through `flatMap`, and a loop is easier to grow (step 3 adds a depth check and a rethrow of
//   one kind of error, which a `return []` cannot express as clearly as `throw` in a loop).

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

/** Calls one observer: a function directly, an object through its `update()`. */
export function callObserver<T>(observer: Observer<T>, value: T): void {
  if (typeof observer === "function") observer(value);
  else observer.update(value);
}

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
