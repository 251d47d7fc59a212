// Mistake: collects failures in catch handlers as they happen, so their order depends on timing
// (a synchronous throw first, then the fastest rejection) instead of on the observers' order.
// Caught by "lists the failures in attach order, not in the order they happened".
import { AsyncSubject as Answer, ObserverError } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    const observers = [...this.observers];
    const errors: ObserverError[] = [];
    await Promise.all(
      observers.map(async (observer) => {
        try {
          await observer(value);
        } catch (error) {
          errors.push(new ObserverError(observer, error));
        }
      }),
    );
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} of ${observers.length} observers failed`);
    }
  }
}
