// Approach: A semaphore around every task, instead of a pool of workers
//
// - Gains: each task reads as straight-line code (wait for a slot, run, report, give the slot
//   back) and `Promise.all` over the tasks gives the results in input order by itself. The
//   semaphore is reusable anywhere a limit is needed (p-limit is this, packaged).
// - Costs: a promise (and, while it waits, a callback) per task from the start: a million tasks
//   are a million waiting promises, where the answer key's pool holds `concurrency` workers and
//   an index. A slot given back must go to the oldest waiter directly, or a newcomer could jump
//   the queue.

// The given code is the answer key's; what follows is this approach's own.
import type { Task, TaskEvent, TaskObserver } from "../monitor";

export type { Task, TaskEvent, TaskObserver };

/** Runs tasks, at most `concurrency` at a time, and tells its observers how each one goes. */
export class TaskMonitor<R> {
  protected readonly observers = new Set<TaskObserver<R>>();

  constructor(protected readonly options: { readonly concurrency: number }) {}

  attach(observer: TaskObserver<R>): void {
    this.observers.add(observer);
  }

  protected emit(event: TaskEvent<R>): void {
    for (const observer of this.observers) observer(event);
  }

  async run(tasks: readonly Task<R>[]): Promise<PromiseSettledResult<R>[]> {
    tasks.forEach((_, index) => {
      this.emit({ type: "queued", index });
    });
    // Per run: two overlapping runs each have their own slots.
    const slots = semaphore(this.options.concurrency);
    return Promise.all(
      tasks.map(async (task, index): Promise<PromiseSettledResult<R>> => {
        await slots.acquire();
        try {
          this.emit({ type: "started", index });
          try {
            const value = await task();
            this.emit({ type: "finished", index, value });
            return { status: "fulfilled", value };
          } catch (reason) {
            this.emit({ type: "failed", index, error: reason });
            return { status: "rejected", reason };
          }
        } finally {
          slots.release();
        }
      }),
    );
  }
}

/** At most `size` holders at once; the others wait in order of arrival. */
function semaphore(size: number): { acquire(): Promise<void>; release(): void } {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      // Handed straight to the oldest waiter: the slot is never free for a newcomer to take.
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}
