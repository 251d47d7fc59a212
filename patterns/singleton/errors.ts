/**
 * The errors the singleton helpers throw. Each names the singleton it is about (the `name`
 * option, or a default) so that a failure in a large application says which one went wrong.
 */

/**
 * A singleton was asked for while it was being created: its own creation depends on it. Without
 * this error the sync helpers would recurse until the stack overflows, and the async one would
 * wait on itself forever.
 *
 * @example
 * ```ts
 * const config = lazy(() => ({ port: config.get() }), { name: "config" });
 * config.get(); // throws SingletonCycleError: config was requested while it was being created
 * ```
 */
export class SingletonCycleError extends Error {
  /** Always `"SingletonCycleError"`, for logs and `error.name` checks. */
  override readonly name = "SingletonCycleError";

  /** @param subject What was requested: the singleton's name, with its key for a registry. */
  constructor(readonly subject: string) {
    super(`${subject} was requested while it was being created: its creation depends on itself`);
  }
}

/**
 * An asynchronous initialisation took longer than the `timeoutMs` it was given. It is not kept:
 * the next `get()` starts a new one.
 *
 * @example
 * ```ts
 * const db = new AsyncSingleton(connect, { name: "db", timeoutMs: 5_000 });
 * await db.get(); // rejects with SingletonTimeoutError after 5 s if connect() hangs
 * ```
 */
export class SingletonTimeoutError extends Error {
  /** Always `"SingletonTimeoutError"`, for logs and `error.name` checks. */
  override readonly name = "SingletonTimeoutError";

  /**
   * @param subject The singleton's name.
   * @param timeoutMs The time it was given.
   */
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`${subject} was not initialised within ${timeoutMs} ms`);
  }
}

/**
 * `reset()` abandoned the initialisation a caller was waiting for. The caller asked for the
 * current instance, and that initialisation will never produce it.
 *
 * @example
 * ```ts
 * const waiting = db.get();
 * await db.reset();
 * await waiting; // rejects with SingletonResetError
 * ```
 */
export class SingletonResetError extends Error {
  /** Always `"SingletonResetError"`, for logs and `error.name` checks. */
  override readonly name = "SingletonResetError";

  /** @param subject The singleton's name. */
  constructor(readonly subject: string) {
    super(`${subject} was reset while it was being initialised`);
  }
}
