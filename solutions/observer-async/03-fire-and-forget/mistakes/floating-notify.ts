// Mistake: starts notify() and lets go of its promise ("fire-and-forget" done wrong): when an
// observer fails, the rejection has no handler, so it becomes an unhandled rejection (Node's
// default is to end the process) and onError never hears of it. idle() sees nothing to wait for.
// Caught by "never lets a failure become an unhandled rejection" (its own unhandledRejection
// listener), "sends a failed round to onError…" and the idle() tests.
// Hint: letting go of a round's promise does not make its failure go away: if the subject does not
//   keep hold of the round, nobody can send its failure to the error channel or wait for it.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override publish(value: T): void {
    void this.notify(value);
  }
}
