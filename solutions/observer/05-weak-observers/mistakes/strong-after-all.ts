// Mistake: the weak option is accepted and ignored: the observer is held like any other, so a
// widget that was thrown away stays in memory, and keeps being notified, as long as the subject
// lives (the leak weak observers exist to prevent).
// Caught by "is garbage-collected: a forgotten … observer is no longer notified".
export {
  type AttachOptions,
  callObserver,
  isObserver,
  type Observer,
  type ObserverFunction,
  type ObserverObject,
  type ObserverRef,
  StrongRef,
} from "../subject";

import { Subject as Answer, type AttachOptions, type Observer } from "../subject";

export class Subject<T> extends Answer<T> {
  override attach(observer: Observer<T>, _options: AttachOptions = {}): void {
    super.attach(observer);
  }
}
