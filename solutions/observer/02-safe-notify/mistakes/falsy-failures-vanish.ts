// Mistake: the catch only records truthy errors (`if (error)`), so an observer that throws
// undefined, null, 0 or "" fails silently. Caught by "reports a failure thrown as undefined too,
// with exactly that cause".
// Hint: anything can be thrown, undefined included; being caught is what makes it a failure.
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
    const failures: ObserverError[] = [];
    for (const observer of this.#observers) {
      try {
        callObserver(observer, value);
      } catch (error) {
        if (error) failures.push(new ObserverError(observer, error));
      }
    }
    // After the loop, not inside it: one failure must not cost the others their turn.
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} observer(s) failed during notify()`);
    }
  }
}
