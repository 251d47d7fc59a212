// Mistake: aggregates the raw errors, so the caller cannot tell which observer failed.
// Caught by "wraps each failure in an ObserverError that keeps the cause and names the observer"
// and "wraps failures that are not Error objects too".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const outcomes = await Promise.allSettled(observers.map(async (observer) => observer(value)));
    const errors = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [outcome.reason] : [],
    );
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} of ${observers.length} observers failed`);
    }
  }
}
