/**
 * One call of a task or job, with its own abort signal and an optional time limit. Internal: the
 * task monitor and the job queue share it.
 */
import { TimeoutError } from "./errors";

export interface AttemptOptions {
  /** Milliseconds before the call fails with a {@link TimeoutError} and its signal aborts. */
  readonly timeout?: number | undefined;
  /** What to call it in the timeout message (`task "resize"`, `job job-3`). */
  readonly label: string;
  /** A parent signal: when it aborts, so does the call's. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `work` with a signal of its own and resolves or rejects with its outcome. A synchronous
 * throw becomes a rejection. The signal is linked to `options.signal`, and the link is removed
 * afterwards, so a long-lived parent signal does not collect one listener per call.
 */
export async function attempt<R>(
  work: (signal: AbortSignal) => R | PromiseLike<R>,
  options: AttemptOptions,
): Promise<R> {
  const { timeout, label, signal: parent } = options;
  const controller = new AbortController();
  const forward = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", forward, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = work(controller.signal);
    if (timeout === undefined) return await result;
    return await new Promise<R>((resolve, reject) => {
      timer = setTimeout(() => {
        const error = new TimeoutError(timeout, label);
        controller.abort(error);
        reject(error);
      }, timeout);
      Promise.resolve(result).then(resolve, reject);
    });
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", forward);
  }
}
