// Mistake: Promise.all rejects with the first failure as soon as it happens: the other
// observers' failures are lost, the caller does not learn which observer failed, and notify()
// settles while slower observers are still running. Caught by "rejects with an AggregateError
// when an observer fails", "reports every failure, not only the first" and "waits for every
// observer to settle before rejecting".
// Hint: a fast failure does not end the round: the other observers are still running, their
//   failures matter as much as the first, and the caller must learn who failed.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    await Promise.all([...this.observers].map(async (observer) => observer(value)));
  }
}
