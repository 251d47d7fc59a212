// Mistake: treats a rejection whose reason is falsy (`undefined`, `null`, `0`, `""`) as no
// failure at all, so an observer that throws `undefined` vanishes from the report.
// Caught by "reports a failure thrown as undefined, null, 0 or an empty string".
// Hint: JavaScript lets anything be thrown; whether an observer failed is told by the outcome's
// status, never by what it threw.
import { AsyncSubject as Answer, ObserverError } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const outcomes = await Promise.allSettled(observers.map(async (observer) => observer(value)));
    const errors: ObserverError[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "rejected" && outcome.reason) {
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
