// Mistake: avoids the unhandled rejection by catching and ignoring it: failures are silently
// lost instead of reaching the error channel. Caught by "sends a failed round to onError…",
// "reports each failed round separately" and the other tests that expect onError to be called.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override publish(value: T): void {
    const round: Promise<void> = this.notify(value)
      .catch(() => {})
      .finally(() => this.pending.delete(round));
    this.pending.add(round);
  }
}
