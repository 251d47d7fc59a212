/**
 * The named errors of the synchronous `Subject`, and the helpers that describe values in
 * their messages. Every description here is built so that it cannot throw, whatever it is given
 * (an object without a prototype, an Error whose `message` getter throws, a hostile Proxy): a
 * message is built while a round is reporting a failure, and a throw there would skip the
 * observers after the failing one. Also the lifecycle repository's `VetoError` and the one
 * message every bad argument of the pattern gets (`badArgument()`).
 *
 * @module
 */
import { badArgument, describe } from "../describe";
import type { Model, VetoableEvent } from "./lifecycle";
import type { Observer } from "./subject";

// #region errors
/**
 * One observer's failure during a round of `Subject.notify()`: the original error is the
 * `cause`, the observer that threw is `observer`. Rounds report these together, in attach order,
 * as the `errors` of an `AggregateError` thrown after every observer has run.
 *
 * @example
 * ```ts
 * try {
 *   subject.notify(article);
 * } catch (error) {
 *   if (!(error instanceof AggregateError)) throw error;
 *   for (const failure of error.errors as ObserverError[]) console.error(failure.message, failure.cause);
 * }
 * ```
 */
export class ObserverError<O = Observer<never>> extends Error {
  override readonly name = "ObserverError";
  /** The observer that threw (a weak one is held again, strongly, by this error). */
  readonly observer: O;

  /**
   * @param observer The observer that threw.
   * @param cause What it threw: any value at all, read only by the guarded helpers below.
   * @param method The method that threw, when the observer is an object (`update` by default).
   */
  constructor(observer: O, cause: unknown, method = "update") {
    super(`${describeObserver(observer, method)} threw: ${describeError(cause)}`, { cause });
    this.observer = observer;
  }
}

/**
 * Thrown by a `Subject.notify()` nested deeper than the subject's `maxDepth`: an observer that
 * notifies the subject it observes, unconditionally, would otherwise recurse until the stack
 * overflows. It is a bug, not an observer's failure, so it is never wrapped in an
 * `AggregateError`: it unwinds every enclosing round at once, as a stack overflow would.
 *
 * @example
 * ```ts
 * const counter = new Subject<number>({ maxDepth: 8 });
 * counter.attach((n) => counter.notify(n + 1)); // never stops by itself
 * counter.notify(0); // throws RecursionLimitError after 8 nested rounds
 * ```
 */
export class RecursionLimitError extends Error {
  override readonly name = "RecursionLimitError";

  constructor(readonly maxDepth: number) {
    super(
      `notify() was nested more than ${maxDepth} rounds deep: an observer keeps notifying the ` +
        "subject it observes (raise maxDepth if the depth is intended)",
    );
  }
}
// #endregion errors

/**
 * Whether `error` is a {@link RecursionLimitError}, for any thrown value: `instanceof` walks the
 * prototype chain, which a Proxy's `getPrototypeOf` trap may answer with a throw.
 *
 * @internal
 * @example
 * ```ts
 * isRecursionLimit(new RecursionLimitError(3)); // true
 * ```
 */
export function isRecursionLimit(error: unknown): boolean {
  try {
    return error instanceof RecursionLimitError;
  } catch {
    return false; // a hostile value is an observer's failure like any other
  }
}

/**
 * How an observer is named in error messages: `observer EmailSubscriber.update()`,
 * `observer logHeadline()`.
 *
 * @internal
 * @example
 * ```ts
 * describeObserver(function logHeadline() {}, "update"); // "observer logHeadline()"
 * ```
 */
export function describeObserver(observer: unknown, method: string): string {
  try {
    if (typeof observer === "function") return `observer ${observer.name || "(anonymous)"}()`;
    const name: unknown =
      typeof observer === "object" && observer !== null
        ? Object.getPrototypeOf(observer)?.constructor?.name
        : undefined;
    return `observer ${typeof name === "string" && name !== "" && name !== "Object" ? name : "{ … }"}.${method}()`;
  } catch {
    return `observer (unnamed).${method}()`; // a name getter that throws
  }
}

/**
 * What an observer threw, in a few words: an Error's message, or a description of any other
 * value. Never throws: a getter that throws gives a fixed text instead.
 *
 * @internal
 * @example
 * ```ts
 * describeError(new Error("SMTP down")); // "SMTP down"
 * describeError(42); // "42"
 * ```
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message;
      return typeof message === "string" ? message : describe(message);
    }
  } catch {
    return "an Error whose message cannot be read";
  }
  return describe(error);
}

// ─── The lifecycle repository and notifications ─────────────────────────────────────────────

export { badArgument, describe };

/**
 * Thrown by {@link Repository.saveOrFail} and {@link Repository.deleteOrFail} when an observer
 * vetoes the change; nothing was saved or deleted.
 *
 * @example
 * ```ts
 * try {
 *   repository.saveOrFail(post);
 * } catch (error) {
 *   if (error instanceof VetoError) console.log(`${error.event} was vetoed`);
 * }
 * ```
 */
export class VetoError extends Error {
  override readonly name = "VetoError";

  constructor(
    /** The event whose observer vetoed. */
    readonly event: VetoableEvent,
    /** The model that was not saved or deleted. */
    readonly model: Model,
    /** The observer that returned `false`. */
    readonly observer: object,
  ) {
    super(
      `${describeModel(model)}: ${observerName(observer)}.${event}() vetoed the ` +
        `${event === "deleting" ? "delete" : "save"}; nothing was changed`,
    );
  }
}

/** The observer's class name, or `observer` for a plain object. Never throws. */
function observerName(observer: object): string {
  try {
    // Stryker disable next-line OptionalChaining: without `?.` a null prototype or a missing constructor throws, and the catch below answers the same "observer"
    const name = Object.getPrototypeOf(observer)?.constructor?.name;
    return name && name !== "Object" ? name : "observer";
  } catch {
    return "observer";
  }
}

/**
 * `Post #3` or `Post (new)`, for messages. Never throws (a class may have a throwing getter).
 *
 * @internal
 */
export function describeModel(model: Model): string {
  try {
    const name = Object.getPrototypeOf(model)?.constructor?.name || "model";
    return model.id === undefined ? `${name} (new)` : `${name} #${model.id}`;
  } catch {
    return "a model";
  }
}
