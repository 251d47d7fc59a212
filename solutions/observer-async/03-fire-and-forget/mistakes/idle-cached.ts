// Mistake: makes one idle() promise and hands it out again, so once it has resolved every later
// idle() resolves at once, even with rounds outstanding. Caught by "waits again for rounds
// published after an earlier idle() resolved".
// Hint: "idle" is a state that comes and goes: each call must look at what is outstanding now.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  private idling: Promise<void> | undefined;

  override idle(): Promise<void> {
    this.idling ??= super.idle();
    return this.idling;
  }
}
