// Mistake: Promise.race() settles when the fastest observer finishes, not the slowest.
// Caught by "does not settle before its slowest observer has finished".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    await Promise.race([...this.observers].map(async (observer) => observer(value)));
  }
}
