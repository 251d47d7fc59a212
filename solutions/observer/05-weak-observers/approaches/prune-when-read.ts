// Approach: Drop collected observers when the list is read, without a FinalizationRegistry
//
// - Gains: no finalizer at all: notify() and `size` skip and drop the refs whose observer is
//   gone, so the list is pruned at the moments it is used, in a predictable order. The
//   FinalizationRegistry's callbacks may come late or never (the language promises neither), and
//   its held value is an easy place to leak the very observer it should let go.
// - Costs: a dead ref (a few bytes) stays in the list until the next notify() or `size`; `size`
//   does work and changes the list, which a getter should do sparingly; and reading every ref
//   keeps its observer alive to the end of the current task.

// The given code is the answer key's; what follows is this approach's own.
import type {
  AttachOptions,
  Observer,
  ObserverFunction,
  ObserverObject,
  ObserverRef,
} from "../subject";
import { callObserver, isObserver, StrongRef } from "../subject";

export type { AttachOptions, Observer, ObserverFunction, ObserverObject, ObserverRef };
export { callObserver, isObserver, StrongRef };

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
