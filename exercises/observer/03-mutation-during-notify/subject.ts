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

  constructor({ maxDepth = 32 }: SubjectOptions = {}) {
    this.maxDepth = maxDepth;
  }

  // TODO: keep the observers so that a round in progress is not disturbed by attach/detach,
  // and count how deeply notify() rounds are nested.

  /** Attaches `observer` once (a TypeError naming `observer` for anything else). */
  attach(observer: Observer<T>): void {
    // TODO: reject non-observers, ignore duplicates, and add the observer without changing an
    // array that a round may be walking.
    throw new Error(`TODO(observer/03): implement attach() (given: ${typeof observer})`);
  }

  /** Detaches `observer`, also for the rest of a round in progress; returns whether it was attached. */
  detach(observer: Observer<T>): boolean {
    // TODO: remove the observer so that a round in progress does not call it any more.
    throw new Error(`TODO(observer/03): implement detach() (given: ${typeof observer})`);
  }

  /** Step 2's safe notify, plus the mutation rules and the recursion limit. */
  notify(value: T): void {
    // TODO: check and count the depth (restoring it however the round ends), then run step 2's
    // safe loop over live observers, letting a RecursionLimitError through unwrapped.
    throw new Error(`TODO(observer/03): implement notify(${JSON.stringify(value)})`);
  }
}
