// Approach: Drop collected observers when the list is read, without a FinalizationRegistry
//
// - Gains: no finalizer at all: notify() and `size` skip and drop the refs whose observer is
//   gone, so the list is pruned at the moments it is used, in a predictable order. The
//   FinalizationRegistry's callbacks may come late or never (the language promises neither), and
//   its held value is an easy place to leak the very observer it should let go.
// - Costs: a dead ref (a few bytes) stays in the list until the next notify() or `size`; `size`
//   does work and changes the list, which a getter should do sparingly; and reading every ref
//   keeps its observer alive to the end of the current task.

/** An observer written as a function: called with each value the subject notifies. */
export type ObserverFunction<T> = (value: T) => void;

/** An observer written as an object: its `update()` is called, with the object as `this`. */
export interface ObserverObject<T> {
  readonly update: (value: T) => void;
}

/** What a Subject accepts as an observer: a function, or an object with an `update()` method. */
export type Observer<T> = ObserverFunction<T> | ObserverObject<T>;

export interface AttachOptions {
  /** Hold the observer weakly: the subject alone does not keep it alive. */
  readonly weak?: boolean;
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

/** Gives back the observer it holds, or `undefined` once a weakly held one has been collected. */
export interface ObserverRef<T> {
  deref(): Observer<T> | undefined;
}

/** Holds an observer strongly: as long as the subject lives, so does the observer. */
export class StrongRef<T> implements ObserverRef<T> {
  constructor(readonly observer: Observer<T>) {}

  deref(): Observer<T> {
    return this.observer;
  }
}

/**
 * A small subject (this step is about weak references only) whose observers can be held weakly:
 * a weak observer that nothing else holds is garbage-collected, and then leaves the subject.
 */
export class Subject<T> {
  #refs: ObserverRef<T>[] = [];

  attach(observer: Observer<T>, options: AttachOptions = {}): void {
    if (!isObserver(observer)) {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (this.#indexOf(observer) !== -1) return;
    // The observer itself in the WeakRef, never a wrapper only the ref knows of.
    const ref = options.weak ? new WeakRef(observer) : new StrongRef(observer);
    this.#refs = [...this.#refs, ref];
  }

  detach(observer: Observer<T>): boolean {
    const index = this.#indexOf(observer);
    if (index === -1) return false;
    this.#refs = this.#refs.filter((_, i) => i !== index);
    return true;
  }

  notify(value: T): void {
    for (const observer of this.#live()) callObserver(observer, value);
  }

  /** How many observers the subject holds: collected ones are dropped before counting. */
  get size(): number {
    return this.#live().length;
  }

  /** The observers still alive; the refs of collected ones leave the list. */
  #live(): Observer<T>[] {
    const live: Observer<T>[] = [];
    this.#refs = this.#refs.filter((ref) => {
      const observer = ref.deref();
      if (observer !== undefined) live.push(observer);
      return observer !== undefined;
    });
    return live;
  }

  #indexOf(observer: Observer<T>): number {
    return this.#refs.findIndex((ref) => ref.deref() === observer);
  }
}
