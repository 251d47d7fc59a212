// Mistake: idle() resolves at once, whatever is still running. Caught by "waits for every
// outstanding round, not only the last one published" and "resolves after a failed round too,
// once onError has seen it".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override idle(): Promise<void> {
    return Promise.resolve();
  }
}
