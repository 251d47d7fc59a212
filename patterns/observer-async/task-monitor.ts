/**
 * The task monitor: runs a batch of asynchronous tasks with a concurrency limit and tells its
 * observers how each one goes — the TypeScript cousin of watching Dask futures with
 * `as_completed` and pushing each outcome to a progress observer.
 */

import { type AsyncObservable, type AsyncObserver, AsyncSubject } from "./async-subject";
import { attempt } from "./attempt";
import {
  badArgument,
  checkCount,
  checkDuration,
  checkSignal,
  optionsObject,
  reportUnpublished,
} from "./internal";

// ─── Public types ────────────────────────────────────────────────────────────────────────────

/**
 * A task: a function, or an object with a `key` (its name in events) and a `run()` method. It
 * receives a signal that aborts when the run is cancelled or the task times out.
 *
 * @example
 * ```ts
 * const tasks: Task<Buffer>[] = urls.map((url) => ({
 *   key: url,
 *   run: async (signal) => Buffer.from(await (await fetch(url, { signal })).arrayBuffer()),
 * }));
 * ```
 */
export type Task<R> =
  | ((signal: AbortSignal) => R | PromiseLike<R>)
  | {
      /** The task's name in events and messages. */
      readonly key: string;
      /** Does the work; may return a promise. */
      run(signal: AbortSignal): R | PromiseLike<R>;
    };

/**
 * Counts at the moment of an event: enough to draw a progress bar without keeping state.
 *
 * @example
 * ```ts
 * const { finished, failed, total } = event.progress;
 * const percent = Math.round((100 * (finished + failed)) / total);
 * ```
 */
export interface TaskProgress {
  readonly total: number;
  /** Not started yet. */
  readonly queued: number;
  readonly running: number;
  readonly finished: number;
  readonly failed: number;
}

/**
 * What every task event carries, whatever its type.
 *
 * @example
 * ```ts
 * const label = (e: TaskEventBase) => `${e.key} (${e.index + 1}/${e.progress.total})`;
 * ```
 */
export interface TaskEventBase {
  /** The task's position in the input. */
  readonly index: number;
  /** Its `key`, its function name, or `#<index>`. */
  readonly key: string;
  readonly progress: TaskProgress;
}

// #region task-event
/**
 * What a task monitor tells its observers. Each run sends one `queued` per task (input order),
 * then `started` as slots free up, then `finished` or `failed` as tasks complete (completion
 * order). Events are frozen.
 *
 * @example
 * ```ts
 * monitor.attach((event) => {
 *   if (event.type === "failed") console.error(`${event.key} failed:`, event.error);
 * });
 * ```
 */
export type TaskEvent<R> =
  | (TaskEventBase & { readonly type: "queued" })
  | (TaskEventBase & { readonly type: "started" })
  | (TaskEventBase & { readonly type: "finished"; readonly value: R; readonly ms: number })
  | (TaskEventBase & { readonly type: "failed"; readonly error: unknown; readonly ms: number });
// #endregion task-event

/**
 * How a task monitor runs its tasks.
 *
 * @example
 * ```ts
 * const monitor = new TaskMonitor<Report>({ concurrency: 8, timeout: 30_000 });
 * ```
 */
export interface TaskMonitorOptions<R> {
  /** How many tasks run at once (default 4). */
  readonly concurrency?: number;
  /**
   * Milliseconds a task may take before it fails with a `TimeoutError`: above 0 and at most
   * 2^31 − 1 (about 24.8 days), the longest a timer can wait.
   */
  readonly timeout?: number;
  /** The error channel for observers that fail (default `console.error`). */
  readonly onError?: (error: AggregateError, event: TaskEvent<R>) => void;
}

/**
 * Options of one run.
 *
 * @example
 * ```ts
 * await monitor.run(tasks, { signal: AbortSignal.timeout(60_000) });
 * ```
 */
export interface TaskRunOptions {
  /**
   * Cancels the run: no further task starts, running tasks see the abort, `run()` rejects.
   * Anything but an AbortSignal (`null` included) is refused with a TypeError naming it.
   */
  readonly signal?: AbortSignal;
}

// ─── The monitor ─────────────────────────────────────────────────────────────────────────────

interface NamedTask<R> {
  readonly key: string;
  readonly run: (signal: AbortSignal) => R | PromiseLike<R>;
}

function named<R>(task: Task<R>, index: number): NamedTask<R> {
  if (typeof task === "function") return { key: task.name || `#${index}`, run: task };
  if (typeof task === "object" && task !== null && typeof task.run === "function") {
    const key = typeof task.key === "string" && task.key !== "" ? task.key : `#${index}`;
    return { key, run: (signal) => task.run(signal) };
  }
  throw badArgument(`tasks[${index}]`, "a function or have a run() method", task);
}

/**
 * Runs tasks with a concurrency limit and reports each one's progress to its observers.
 * `run()` resolves with every outcome in input order, like `Promise.allSettled`, once the
 * observers have seen every event; a failing task is an outcome, not a rejection.
 *
 * @example
 * ```ts
 * const monitor = new TaskMonitor<number>({ concurrency: 2 });
 * monitor.attach((e) => console.log(e.type, e.key, `${e.progress.finished}/${e.progress.total}`));
 * const outcomes = await monitor.run([() => 1, async () => 2, () => Promise.reject(new Error("x"))]);
 * // [{ status: "fulfilled", value: 1 }, { status: "fulfilled", value: 2 }, { status: "rejected", … }]
 * ```
 */
export class TaskMonitor<R = unknown> {
  readonly #events: AsyncSubject<TaskEvent<R>>;
  readonly #concurrency: number;
  readonly #timeout: number | undefined;
  readonly #onError: ((error: AggregateError, event: TaskEvent<R>) => void) | undefined;

  constructor(options?: TaskMonitorOptions<R>) {
    options = optionsObject(options);
    this.#concurrency = checkCount("concurrency", options.concurrency ?? 4, 1, true);
    this.#timeout =
      options.timeout === undefined ? undefined : checkDuration("timeout", options.timeout);
    this.#onError = options.onError;
    this.#events = new AsyncSubject<TaskEvent<R>>(
      options.onError === undefined ? {} : { onError: options.onError },
    );
  }

  /** The events, to attach to or iterate (`for await (const e of monitor.events)`). */
  get events(): AsyncObservable<TaskEvent<R>> {
    return this.#events;
  }

  /** Attaches an observer to every later run's events; returns a detach function. */
  attach(observer: AsyncObserver<TaskEvent<R>>): () => void {
    return this.#events.attach(observer);
  }

  // #region run
  /**
   * Runs `tasks`, at most `concurrency` at a time, each as soon as a slot is free. Resolves with
   * their outcomes in input order. Rejects only when cancelled (with `signal.reason`) or given
   * something that is not a task (a `TypeError` naming it).
   */
  async run(
    tasks: Iterable<Task<R>>,
    options?: TaskRunOptions,
  ): Promise<PromiseSettledResult<R>[]> {
    const signal = checkSignal("options.signal", optionsObject(options).signal);
    const list = Array.from(tasks, named);
    signal?.throwIfAborted();
    const total = list.length;
    const outcomes = new Array<PromiseSettledResult<R>>(total);
    let queued = total;
    let running = 0;
    let finished = 0;
    let failed = 0;
    const progress = (): TaskProgress => ({ total, queued, running, finished, failed });
    // Never throws (see JobQueue's #emit): an event observers nest too deep to take goes to the
    // error channel, and the run goes on.
    const emit = (event: TaskEvent<R>) => {
      const frozen = Object.freeze(event);
      try {
        this.#events.publish(frozen);
      } catch (error) {
        reportUnpublished(this.#onError, error, frozen);
      }
    };

    for (const [index, { key }] of list.entries()) {
      emit({ type: "queued", index, key, progress: progress() });
    }

    // The run's own controller: cancelling the run aborts every running task's signal.
    const cancel = new AbortController();
    const runOne = async (index: number): Promise<void> => {
      const { key, run } = list[index] as NamedTask<R>;
      queued--;
      running++;
      emit({ type: "started", index, key, progress: progress() });
      const started = Date.now();
      try {
        const value = await attempt(run, {
          timeout: this.#timeout,
          label: `task "${key}"`,
          signal: cancel.signal,
        });
        outcomes[index] = { status: "fulfilled", value };
        running--;
        finished++;
        emit({
          type: "finished",
          index,
          key,
          value,
          ms: Date.now() - started,
          progress: progress(),
        });
      } catch (error) {
        outcomes[index] = { status: "rejected", reason: error };
        running--;
        failed++;
        emit({ type: "failed", index, key, error, ms: Date.now() - started, progress: progress() });
      }
    };

    // A pool of workers, each taking the next task as soon as its last one is done: a slot is
    // never idle while tasks wait (unlike running fixed batches of `concurrency`).
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total && !cancel.signal.aborted) await runOne(next++);
    };
    const workers = Promise.all(Array.from({ length: Math.min(this.#concurrency, total) }, worker));

    if (signal) {
      const onAbort = () => cancel.abort(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        await Promise.race([
          workers,
          new Promise<never>((_, reject) => {
            cancel.signal.addEventListener("abort", () => reject(cancel.signal.reason), {
              once: true,
            });
          }),
        ]);
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    } else {
      await workers;
    }
    // Results only once every observer has seen every event: a progress bar is complete
    // when the caller prints the summary.
    await this.#events.idle();
    return outcomes;
  }
  // #endregion run
}
