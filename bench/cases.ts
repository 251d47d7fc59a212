/**
 * What `npm run bench` measures, shared by the bench files (which run in vitest's workers) and by
 * the runner (which turns vitest's samples into operations per second): the cases, how many
 * operations one call of a bench function performs, the observers, and the sink they feed.
 *
 * @module
 */
import type { BenchOptions } from "vitest";

/** A speed case: one `describe()` of a `*.bench.ts` file, named by its `id`. */
export interface SpeedCase {
  readonly id: string;
  readonly title: string;
  /**
   * Operations performed by one call of each bench function. tinybench times every call with
   * `performance.now()`, whose own cost (tens of nanoseconds) would swamp a 10 ns `emit()`, so a
   * call loops over a batch and the runner multiplies the measured calls/s by the batch size.
   */
  readonly opsPerCall: number;
}

/** Every speed case, in the order the table shows them. */
export const SPEED_CASES: readonly SpeedCase[] = [
  { id: "notify-1", title: "sync notify, 1 observer", opsPerCall: 1000 },
  { id: "notify-10", title: "sync notify, 10 observers", opsPerCall: 1000 },
  { id: "notify-100", title: "sync notify, 100 observers", opsPerCall: 200 },
  { id: "churn", title: "subscribe + unsubscribe, beside 10 observers", opsPerCall: 1000 },
  {
    id: "leave-20000",
    title: "20 000 members join, then leave in random order (per member)",
    opsPerCall: 20_000,
  },
  {
    id: "leave-40000",
    title: "40 000 members join, then leave in random order (per member)",
    opsPerCall: 40_000,
  },
  { id: "once", title: "once: subscribe for one call, then notify", opsPerCall: 1000 },
  { id: "async-100", title: "async notify, 100 async observers", opsPerCall: 10 },
  { id: "publish-10", title: "publish, 10 wildcard subscriptions (1 matches)", opsPerCall: 20 },
  {
    id: "publish-1000",
    title: "publish, 1 000 wildcard subscriptions (1 matches)",
    opsPerCall: 20,
  },
  {
    id: "publish-10000",
    title: "publish, 10 000 wildcard subscriptions (1 matches)",
    opsPerCall: 20,
  },
];

/** The case with this id; a typo in a bench file fails at once. */
export function speedCase(id: string): SpeedCase {
  const found = SPEED_CASES.find((c) => c.id === id);
  if (found === undefined) throw new Error(`unknown bench case ${JSON.stringify(id)}`);
  return found;
}

/** Contenders named with this suffix are the references of this repository. */
export const OURS = " (ours)";

/** Whether a contender is one of ours. */
export const isOurs = (name: string): boolean => name.endsWith(OURS);

/**
 * tinybench's options for every bench: long enough for a stable mean on a shared 2-core machine,
 * short enough for the whole run to stay under three minutes. `BENCH_TIME` (milliseconds) shortens
 * or lengthens a run, for a quick smoke test or a quieter rerun.
 */
export const BENCH_OPTIONS: BenchOptions = {
  time: Number(process.env.BENCH_TIME ?? 1000),
  warmupTime: Math.min(250, Number(process.env.BENCH_TIME ?? 1000) / 4),
  iterations: 10,
  warmupIterations: 5,
};

/**
 * tinybench's options for a case whose single call takes long (tens of milliseconds, seconds for
 * a quadratic peer): a few timed calls are enough, and a time budget would multiply them.
 */
export const LONG_BENCH_OPTIONS: BenchOptions = {
  time: 0,
  warmupTime: 0,
  iterations: Number(process.env.BENCH_LONG_ITERATIONS ?? 4),
  warmupIterations: 1,
};

/**
 * What every observer adds its payload to. The bench functions read it back after each batch and
 * throw if it did not grow by exactly what the batch should have caused: every observer ran, once
 * per notification, and no engine could drop the work as dead code, since its result is used.
 */
export const sink = { n: 0 };

/**
 * `count` observers that are different functions, as an application's observers are (a logger, a
 * cache, a view…): each has its own source, so the engine cannot treat them as one function at a
 * shared call site. Each adds the payload to {@link sink}.
 */
export function observers(count: number): Array<(value: number) => void> {
  return Array.from(
    { length: count },
    (_, i) =>
      new Function("sink", `return function observer${i}(value) { sink.n += value; };`)(sink) as (
        value: number,
      ) => void,
  );
}

/** Like {@link observers}, but `async` functions: each returns a promise. */
export function asyncObservers(count: number): Array<(value: number) => Promise<void>> {
  return Array.from(
    { length: count },
    (_, i) =>
      new Function("sink", `return async function asyncObserver${i}(value) { sink.n += value; };`)(
        sink,
      ) as (value: number) => Promise<void>,
  );
}

/**
 * Wraps a batch so that it checks its own effect: `run` must add exactly `expected` to the sink.
 * The check costs one comparison per batch, nothing per operation.
 *
 * The sink starts each batch at 0, so that it stays a small integer: once a running total passed
 * 2³¹ it would turn into a floating-point number, every later `sink.n += value` would be slower,
 * and whichever library ran after that point would be measured at a disadvantage.
 */
export function checked(name: string, expected: number, run: () => void): () => void {
  return () => {
    sink.n = 0;
    run();
    if (sink.n !== expected) throw new Error(`${name}: the sink got ${sink.n}, not ${expected}`);
  };
}

/** {@link checked} for an asynchronous batch. */
export function checkedAsync(
  name: string,
  expected: number,
  run: () => Promise<void>,
): () => Promise<void> {
  return async () => {
    sink.n = 0;
    await run();
    if (sink.n !== expected) throw new Error(`${name}: the sink got ${sink.n}, not ${expected}`);
  };
}

/** Throws unless `actual` is `expected`: the set-up checks of the bench files. */
export function expectSame(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
  }
}
