/** An observer: a function that may do its work asynchronously (return a promise) or not. */
export type AsyncObserver<T> = (value: T) => unknown;

/**
 * A subject whose observers may be slow. `notify(value)` starts every observer at once and
 * resolves when the slowest has finished: ten one-second observers take one second, not ten.
 */
export class AsyncSubject<T> {
  // TODO: keep the attached observers (each one once), add them in attach() and remove them in
  // detach(); in notify(), call every observer first, then wait for all of them together.
  attach(_observer: AsyncObserver<T>): void {
    throw new Error("TODO(observer-async/01): implement attach()");
  }

  detach(_observer: AsyncObserver<T>): void {
    throw new Error("TODO(observer-async/01): implement detach()");
  }

  notify(_value: T): Promise<void> {
    throw new Error("TODO(observer-async/01): implement notify()");
  }
}
