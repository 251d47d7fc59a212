// Mistake: an async generator, the tidiest-looking answer. But a generator's return() cannot
// interrupt a pending await: a next() waiting for a value, and the return() itself, stay pending
// until another value arrives (and return() on a generator that never started skips its finally,
// so the observer stays attached). Caught by "ends a pending next() with done when return() is
// called".
// Hint: a generator's return() can only act where the generator is paused at a yield; ask what
//   happens when the loop is stopped while the generator is waiting for a value.
import { AsyncSubject as Answer, type SubjectIterator } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override [Symbol.asyncIterator](): SubjectIterator<T> {
    const buffer: T[] = [];
    let wake: (() => void) | undefined;
    let room: (() => void) | undefined;
    const observer = (value: T): Promise<void> | undefined => {
      buffer.push(value);
      wake?.();
      if (buffer.length <= this.bufferSize) return undefined;
      return new Promise<void>((resolve) => {
        room = resolve;
      });
    };
    this.attach(observer);
    const detach = () => this.detach(observer);
    async function* values(): AsyncGenerator<T, undefined> {
      try {
        while (true) {
          while (buffer.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          const value = buffer.shift() as T;
          room?.();
          yield value;
        }
      } finally {
        detach();
        room?.();
      }
    }
    return values() as unknown as SubjectIterator<T>;
  }
}
