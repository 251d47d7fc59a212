// Mistake: the finally sets the depth back to 0 instead of one level down, so once a nested round
// ends the outer round's later observers get the whole budget again. Caught by "counts depth
// from the round under way, after an earlier nested round has ended".
// Hint: when a nested round ends, the rounds around it are still running.
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
        if (!entry.live) continue;
        try {
          callObserver(entry.observer, value);
        } catch (error) {
          // Runaway recursion is a bug, not an observer's failure: let it unwind every round.
          if (error instanceof RecursionLimitError) throw error;
          failures.push(new ObserverError(entry.observer, error));
        }
      }
    } finally {
      this.#depth = 0; // also when the RecursionLimitError unwinds, or the subject stays stuck
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} observer(s) failed during notify()`);
    }
  }
}
