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
  readonly #observers: Observer<T>[] = [];

  attach(observer: Observer<T>): void {
    // Checked here, not at notify time, so the mistake points at the line that made it.
    const isObserver =
      typeof observer === "function" ||
      typeof (observer as { update?: unknown } | null)?.update === "function";
    if (!isObserver) {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (!this.#observers.includes(observer)) this.#observers.push(observer);
  }

  detach(observer: Observer<T>): boolean {
    const index = this.#observers.indexOf(observer);
    // splice(-1, 1) would remove the last observer: check before removing.
    if (index === -1) return false;
    this.#observers.splice(index, 1);
    return true;
  }

  notify(value: T): void {
    for (const observer of this.#observers) {
      // observer.update(value), not a detached `update`: update() needs its object as `this`.
      if (typeof observer === "function") observer(value);
      else observer.update(value);
    }
  }
}
