// Mistake: hands a value only to a next() that is already waiting; a value notified while the
// consumer is busy in the loop body is lost. Caught by "buffers values the consumer has not
// pulled yet" and "makes notify() wait while the buffer is full, until the consumer pulls".
import { AsyncSubject as Answer, type SubjectIterator } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override [Symbol.asyncIterator](): SubjectIterator<T> {
    const buffer: T[] = [];
    // next() calls waiting for a value, and rounds waiting for room in the buffer.
    const readers: Array<(result: IteratorResult<T, undefined>) => void> = [];
    const writers: Array<() => void> = [];
    let done = false;

    const observer = (value: T): void => {
      // Only a next() that is already waiting gets the value.
      readers.shift()?.({ value, done: false });
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
        for (const reader of readers.splice(0)) reader({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
