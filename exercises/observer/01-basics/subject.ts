/** An observer written as a function: called with each value the subject notifies. */
export type ObserverFunction<T> = (value: T) => void;

/** An observer written as an object: its `update()` is called, with the object as `this`. */
export interface ObserverObject<T> {
  readonly update: (value: T) => void;
}

/** What a Subject accepts as an observer: a function, or an object with an `update()` method. */
export type Observer<T> = ObserverFunction<T> | ObserverObject<T>;

/**
 * Keeps a list of observers and notifies each one, in the order they were attached.
 * Attaching an observer twice notifies it once; detaching an unknown one changes nothing.
 */
export class Subject<T> {
  // TODO: keep the attached observers in an array, in attach order.

  /** Attaches `observer` unless it already is; anything that is not an observer is a TypeError naming `observer`. */
  attach(observer: Observer<T>): void {
    // TODO: check `observer`, then add it (once).
    throw new Error(`TODO(observer/01): implement attach() (given: ${typeof observer})`);
  }

  /** Detaches `observer`; returns whether it was attached. */
  detach(observer: Observer<T>): boolean {
    // TODO: remove `observer` if it is attached.
    throw new Error(`TODO(observer/01): implement detach() (given: ${typeof observer})`);
  }

  /** Calls every attached observer with `value`, in attach order. */
  notify(value: T): void {
    // TODO: call each observer: a function directly, an object through its update().
    throw new Error(`TODO(observer/01): implement notify(${JSON.stringify(value)})`);
  }
}
