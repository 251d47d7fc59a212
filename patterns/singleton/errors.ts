/**
 * The errors the singleton helpers and the container throw. Each names the singleton it is about (the `name`
 * option, or a default) so that a failure in a large application says which one went wrong.
 */

import type { Token } from "./container";

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

/**
 * No service is registered under the token.
 *
 * @example
 * ```ts
 * new Container().resolve(mailerToken); // UnknownServiceError: no service is registered for "mailer"
 * // a missing dependency of a dependency says how it was reached:
 * // UnknownServiceError: no service is registered for "smtp" (needed by signup → mailer → smtp)
 * ```
 */
export class UnknownServiceError extends Error {
  /** Always `"UnknownServiceError"`, for logs and `error.name` checks. */
  override readonly name = "UnknownServiceError";

  /**
   * @param token The token that was asked for.
   * @param path The names from the service first asked for down to this one: `["a", "b", "c"]`
   *   when building `a` needed `b`, which needed the unregistered `c`.
   */
  constructor(
    readonly token: Token<unknown>,
    readonly path: readonly string[] = [token.name],
  ) {
    super(
      `no service is registered for "${token.name}"` +
        (path.length > 1 ? ` (needed by ${path.join(" → ")})` : ""),
    );
  }
}

/**
 * The token already has a registration, and `replace: true` was not given: two modules that both
 * register "mailer" are a bug to report, not a race to let the last one win.
 *
 * @example
 * ```ts
 * container.register(mailerToken, smtpMailer).register(mailerToken, smtpMailer);
 * // DuplicateServiceError: "mailer" is already registered
 * ```
 */
export class DuplicateServiceError extends Error {
  /** Always `"DuplicateServiceError"`, for logs and `error.name` checks. */
  override readonly name = "DuplicateServiceError";

  /** @param token The token registered twice. */
  constructor(readonly token: Token<unknown>) {
    super(`"${token.name}" is already registered (pass { replace: true } to replace it)`);
  }
}

/**
 * Services that need each other in a circle: building them would never end.
 *
 * @example
 * ```ts
 * container.register(a, (r) => r.resolve(b)).register(b, (r) => r.resolve(a));
 * container.resolve(a); // CircularDependencyError: circular dependency: a → b → a
 * ```
 */
export class CircularDependencyError extends Error {
  /** Always `"CircularDependencyError"`, for logs and `error.name` checks. */
  override readonly name = "CircularDependencyError";

  /** @param path The names along the circle, the first repeated at the end: `["a", "b", "a"]`. */
  constructor(readonly path: readonly string[]) {
    super(`circular dependency: ${path.join(" → ")}`);
  }
}
