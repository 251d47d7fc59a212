// Mistake: the observer is held through a WeakRef, but nothing removes the dead ref once it has
// been collected: the subject's list grows with every forgotten widget (a slower leak, of refs
// instead of widgets), and size never comes back down.
// Caught by "leaves the subject once collected: size drops back to 0".
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

  attach(observer: Observer<T>, options: AttachOptions = {}): void {
    if (!isObserver(observer)) {
      throw new TypeError("`observer` must be a function or an object with an update() method");
    }
    if (this.#indexOf(observer) !== -1) return;
    if (options.weak) {
      // The observer itself, not a wrapper around it: a wrapper only the WeakRef knows of would
      // be collected at once, while the observer lives on.
      const ref = new WeakRef(observer);
      this.#refs = [...this.#refs, ref];
      return;
    }
    this.#refs = [...this.#refs, new StrongRef(observer)];
  }

  detach(observer: Observer<T>): boolean {
    const index = this.#indexOf(observer);
    if (index === -1) return false;
    const ref = this.#refs[index] as ObserverRef<T>;
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
