// Mistake: counts the observers again after the round, from the live Set: an observer that
// detached itself during the round is left out of "of N", so the message no longer describes
// the round that ran. Caught by "names and counts the observers the round ran, even if one
// detaches during it".
// Hint: the set can change while a round is awaited; describe the round with the snapshot it
// started with.
import { AsyncSubject as Answer, ObserverError } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const outcomes = await Promise.allSettled(observers.map(async (observer) => observer(value)));
    const errors: ObserverError[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "rejected") {
        errors.push(
          new ObserverError(observers[i] as (...args: never[]) => unknown, outcome.reason),
        );
      }
    });
    if (errors.length > 0) {
      throw new AggregateError(
        errors,
        `${errors.length} of ${this.observers.size} observers failed`,
      );
    }
  }
}
