/**
 * The asynchronous case: our `AsyncSubject` against emittery, each awaiting a fan-out to 100
 * `async` observers. Both start every observer and settle once all have settled; ours also keeps
 * every failure (emittery's `emit()` rejects with the first one).
 *
 * @module
 */
import Emittery from "emittery";
import { bench, describe } from "vitest";
import { AsyncSubject } from "../patterns/observer-async/index";
import { asyncObservers, BENCH_OPTIONS, checkedAsync, OURS, speedCase } from "./cases";

/** `await notify()` / `await emit()` to 100 async observers. */
export function asyncSuite(): void {
  const { id, opsPerCall: n } = speedCase("async-100");
  const count = 100;
  const expected = n * count;

  // Observers of its own for each contender, as in the synchronous cases.
  const subject = new AsyncSubject<number>();
  for (const fn of asyncObservers(count)) subject.attach(fn);
  const emittery = new Emittery<{ e: number }>();
  for (const fn of asyncObservers(count)) emittery.on("e", fn);

  describe(id, () => {
    bench(
      `AsyncSubject${OURS}`,
      checkedAsync("AsyncSubject", expected, async () => {
        for (let i = 0; i < n; i++) await subject.notify(1);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "emittery",
      checkedAsync("emittery", expected, async () => {
        for (let i = 0; i < n; i++) await emittery.emit("e", 1);
      }),
      BENCH_OPTIONS,
    );
  });
}
