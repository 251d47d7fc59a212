// Mistake: awaits each observer before starting the next, so ten one-second observers take ten
// seconds. Caught by "finishes ten one-second observers in one second, not ten" and "starts every
// observer at once, before any of them finishes".
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    for (const observer of this.observers) {
      await observer(value);
    }
  }
}
