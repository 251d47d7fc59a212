// Mistake: frees the slot only when a round succeeds. After `concurrency` failures no slot is
// left and every later value waits forever. Caught by "frees the slot of a failed round and still
// reports the failure".
// Hint: a slot belongs to a round while it runs, whatever its outcome; ask how many slots are left
//   after a few rounds have failed.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  protected override start(value: T): void {
    this.active++;
    const round: Promise<void> = this.notify(value).then(
      () => {
        this.active--;
        this.pending.delete(round);
        if (this.waiting.length > 0) this.start(this.waiting.shift() as T);
      },
      (error: AggregateError) => {
        this.pending.delete(round);
        try {
          this.options.onError(error, value);
        } catch {
          // As in step 3: an error thrown by onError has nowhere left to go.
        }
      },
    );
    this.pending.add(round);
  }
}
