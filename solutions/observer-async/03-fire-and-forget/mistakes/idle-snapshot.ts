// Mistake: idle() waits once for the rounds outstanding when it was called, and misses the
// rounds published while it waits (an observer that publishes a follow-up, a request that
// arrives during shutdown). Caught by "waits for rounds published while it was waiting".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async idle(): Promise<void> {
    await Promise.all(this.pending);
  }
}
