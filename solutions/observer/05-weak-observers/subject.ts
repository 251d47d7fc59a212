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
  /** Drops a collected observer's ref. Its callback closes over the subject, not over observers. */
  readonly #registry = new FinalizationRegistry<ObserverRef<T>>((ref) => {
    this.#refs = this.#refs.filter((r) => r !== ref);
  });

  attach(observer: Observer<T>, options: AttachOptions = {}): void {
    if (!isObserver(observer)) {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (this.#indexOf(observer) !== -1) return;
    if (options.weak) {
      // The observer itself, not a wrapper around it: a wrapper only the WeakRef knows of would
      // be collected at once, while the observer lives on.
      const ref = new WeakRef(observer);
      // Held value and token are the ref, never the observer: a registry holds its held values
      // strongly, which would keep the observer alive for ever.
      this.#registry.register(observer, ref, ref);
      this.#refs = [...this.#refs, ref];
      return;
    }
    this.#refs = [...this.#refs, new StrongRef(observer)];
  }

  detach(observer: Observer<T>): boolean {
    const index = this.#indexOf(observer);
    if (index === -1) return false;
    const ref = this.#refs[index] as ObserverRef<T>;
    this.#registry.unregister(ref); // nothing to drop later (a no-op for a strong ref)
    this.#refs = this.#refs.filter((r) => r !== ref);
    return true;
  }

  notify(value: T): void {
    for (const ref of this.#refs) {
      const observer = ref.deref();
      if (observer !== undefined) callObserver(observer, value);
    }
  }

  /** How many observers the subject holds (a collected one counts until it has been dropped). */
  get size(): number {
    return this.#refs.length;
  }

  #indexOf(observer: Observer<T>): number {
    return this.#refs.findIndex((ref) => ref.deref() === observer);
  }
}
