// Mistake: calls each observer directly inside map(), so a synchronous throw escapes the map
// before the later observers are even called, and notify() rejects with that raw error.
// Caught by "keeps notifying the other observers after one throws synchronously" (and every test
// that expects an AggregateError from a synchronous failure).
import { AsyncSubject as Answer, ObserverError } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const outcomes = await Promise.allSettled(observers.map((observer) => observer(value)));
    const errors: ObserverError[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "rejected") {
        errors.push(
          new ObserverError(observers[i] as (...args: never[]) => unknown, outcome.reason),
        );
      }
    });
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} of ${observers.length} observers failed`);
    }
  }
}
