// Mistake: forEach() with an async callback starts every observer but waits for none of them, so
// notify() resolves before the work is done (and a failure would escape as an unhandled
// rejection). Caught by "does not settle before its slowest observer has finished".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    this.observers.forEach(async (observer) => {
      await observer(value);
    });
  }
}
