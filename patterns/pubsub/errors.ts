/**
 * The named errors of the broker. Invalid topics have theirs in `topics.ts`.
 *
 * @module
 */
import { describe } from "./topics";

/**
 * What was thrown, in a few words, for any value: an Error's message, a string as it is, a
 * description of anything else. Never throws, so that it is safe on the paths that report
 * failures (an Error whose `message` getter throws, a hostile Proxy, `Object.create(null)`).
 *
 * @internal
 * @example
 * ```ts
 * safeMessage(new Error("boom")); // "boom"
 * safeMessage(Object.create(null)); // "an object"
 * ```
 */
export function safeMessage(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message;
      return typeof message === "string" ? message : describe(message);
    }
    return typeof error === "string" ? error : describe(error);
  } catch {
    return "a value that cannot be read";
  }
}

/**
 * Whether `error` is a {@link RecursionLimitError}; false for a value whose prototype chain
 * cannot be walked (a Proxy whose `getPrototypeOf` trap throws).
 *
 * @internal
 * @example
 * ```ts
 * isRecursionLimit(new RecursionLimitError(32, "ping")); // true
 * ```
 */
export function isRecursionLimit(error: unknown): boolean {
  try {
    return error instanceof RecursionLimitError;
  } catch {
    return false;
  }
}

/** A function's name for a message, even if its `name` getter throws. */
function nameOf(handler: (...args: never[]) => unknown): string {
  try {
    const name: unknown = handler.name;
    return typeof name === "string" && name !== "" ? `"${name}"` : "(anonymous)";
  } catch {
    return "(anonymous)";
  }
}

// #region handler-error
/**
 * One handler's failure in a publish round: the original error is the `cause`. The round runs
 * every handler anyway and reports the failures together, in delivery order, as the `errors` of
 * an `AggregateError`: thrown by `publish()` after the round for handlers that threw, sent to the
 * broker's `onError` channel for handlers whose promise rejected later.
 *
 * @example
 * ```ts
 * try {
 *   broker.publish("model.user.created", user);
 * } catch (error) {
 *   if (!(error instanceof AggregateError)) throw error;
 *   for (const failure of error.errors as HandlerError[]) {
 *     console.error(`${failure.pattern} failed on ${failure.topic}:`, failure.cause);
 *   }
 * }
 * ```
 */
export class HandlerError extends Error {
  override readonly name = "HandlerError";

  constructor(
    /** The handler that threw or rejected. */
    readonly handler: (...args: never[]) => unknown,
    /** The pattern it subscribed with. */
    readonly pattern: string | RegExp,
    /** The topic of the message it failed on. */
    readonly topic: string,
    /** The `id` of that message, to find it in the logs. */
    readonly messageId: string,
    /** What it threw, untouched. */
    override readonly cause: unknown,
  ) {
    super(
      `handler ${nameOf(handler)} of ${String(pattern)} failed on "${topic}": ${safeMessage(cause)}`,
      { cause },
    );
  }
}
// #endregion handler-error

/**
 * Thrown by a publish whose message would sit deeper than the broker's `maxDepth` in its chain:
 * handlers that keep publishing what they handle (`a` → `b` → `a` …) would otherwise loop
 * forever, even through `await`s, where no stack overflow would stop them. It is a bug, not a
 * handler's failure, so a synchronous one is not wrapped: it unwinds every enclosing publish.
 *
 * @example
 * ```ts
 * broker.subscribe("ping", () => broker.publish("pong", null));
 * broker.subscribe("pong", () => broker.publish("ping", null));
 * broker.publish("ping", null); // throws RecursionLimitError
 * ```
 */
export class RecursionLimitError extends Error {
  override readonly name = "RecursionLimitError";

  constructor(
    /** The limit that was reached. */
    readonly maxDepth: number,
    /** The topic that would have gone over it. */
    readonly topic: string,
  ) {
    super(
      `publishing "${topic}" would make a chain of more than ${maxDepth} messages: handlers keep ` +
        "publishing what they handle (raise maxDepth if the depth is intended)",
    );
  }
}
