// Mistake: waits for every observer (allSettled) but then reports only the first failure, as if
// one were enough. Caught by "reports every failure, not only the first" and "says how many
// observers failed out of how many".
import { AsyncSubject as Answer, ObserverError } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const outcomes = await Promise.allSettled(observers.map(async (observer) => observer(value)));
    const i = outcomes.findIndex((outcome) => outcome.status === "rejected");
    const failed = outcomes[i];
    if (failed?.status === "rejected") {
      const error = new ObserverError(observers[i] as (...args: never[]) => unknown, failed.reason);
      throw new AggregateError([error], `1 of ${observers.length} observers failed`);
    }
  }
}
