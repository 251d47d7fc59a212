// Mistake: remembers only the last published round, so idle() resolves when that one ends even
// if an earlier, slower round is still running. Caught by "waits for every outstanding round,
// not only the last one published".
// Hint: rounds do not finish in the order they were published: the last one published can end
//   first, while an earlier, slower one is still running.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  private last: Promise<void> = Promise.resolve();

  override publish(value: T): void {
    this.last = this.notify(value).catch((error: AggregateError) => {
      try {
        this.options.onError(error, value);
      } catch {
        // onError is the last stop: an error it throws has nowhere left to go.
      }
    });
  }

  override async idle(): Promise<void> {
    await this.last;
  }
}
