// Mistake: return() marks the iterator done but never detaches its observer: every loop that
// ever ran stays attached, and its buffer keeps filling with values nobody will read (the leak
// Node's events.on() had with its abort listener). Caught by "detaches when the loop breaks",
// "…returns from inside the loop", "…the loop body throws" and "stops receiving values once
// return() is called".
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
        for (const release of writers.splice(0)) release();
        for (const reader of readers.splice(0)) reader({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
