// Mistake: return() does not settle a next() that is already waiting, so whoever awaits it hangs
// forever. (An async generator has the same trap: its return() waits for the pending await.)
// Caught by "ends a pending next() with done when return() is called".
import { AsyncSubject as Answer, type SubjectIterator } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override [Symbol.asyncIterator](): SubjectIterator<T> {
    const buffer: T[] = [];
    // next() calls waiting for a value, and rounds waiting for room in the buffer.
    const readers: Array<(result: IteratorResult<T, undefined>) => void> = [];
    const writers: Array<() => void> = [];
    let done = false;

    const observer = (value: T): Promise<void> | undefined => {
      const reader = readers.shift();
      if (reader) reader({ value, done: false });
      else if (buffer.length < this.bufferSize) buffer.push(value);
      else {
        // Full: this round (and so notify()) waits until the consumer makes room, instead of
        // the buffer growing without bound.
        return new Promise<void>((resolve) => {
          writers.push(() => {
            if (!done) buffer.push(value);
            resolve();
          });
        });
      }
      return undefined;
    };
    this.attach(observer);

    const iterator: SubjectIterator<T> = {
      next: () => {
        if (buffer.length > 0) {
          const value = buffer.shift() as T;
          writers.shift()?.(); // room for one waiting round
          return Promise.resolve({ value, done: false });
        }
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => readers.push(resolve));
      },
      // `break`, `return` and a throw inside the loop body all call return(): the one place
      // to clean up. Forgetting it leaves an observer (and its buffer) attached forever.
      return: () => {
        done = true;
        this.detach(observer);
        buffer.length = 0;
        for (const release of writers.splice(0)) release();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
