// Mistake: the observer is first wrapped in a function (to call update() uniformly) and the
// wrapper is held weakly. Nothing else knows the wrapper, so the next garbage collection takes
// it while the observer itself is alive and well: a living widget stops being notified.
// Caught by "survives garbage collections and is still notified".
export {
  type AttachOptions,
  callObserver,
  isObserver,
  type Observer,
  type ObserverFunction,
  type ObserverObject,
  type ObserverRef,
  StrongRef,
} from "../subject";

import {
  type AttachOptions,
  callObserver,
  isObserver,
  type Observer,
  type ObserverRef,
  StrongRef,
} from "../subject";

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
      const ref = new WeakRef((value: T) => callObserver(observer, value));
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
