/**
 * Helpers shared by the subject, the task monitor and the job queue. Internal: `index.ts` does
 * not re-export them.
 */

/**
 * The longest delay `setTimeout` honours: 2^31 − 1 ms (about 24.8 days). A longer one fires after
 * 1 ms, so a time limit above it is refused rather than silently broken.
 */
export const MAX_DELAY = 2 ** 31 - 1;

// #region describe
export { badArgument, describe } from "../describe";

import { badArgument, describe } from "../describe";

/**
 * What a thrown value says, for an error message: an `Error`'s message, a string as it is,
 * anything else described. Never throws (see {@link describe}).
 */
export function describeError(error: unknown): string {
  try {
    if (typeof error === "string") return error;
    if (error instanceof Error && typeof error.message === "string") return error.message;
  } catch {
    // a Proxy or a throwing getter: fall through to a description of the value
  }
  return describe(error);
}

/** A short, readable name for an observer, task or handler in error messages. Never throws. */
export function describeCallable(target: unknown): string {
  try {
    if (typeof target === "function") return target.name ? `"${target.name}"` : "(anonymous)";
    if (typeof target === "object" && target !== null) {
      const name = target.constructor?.name;
      return typeof name === "string" && name !== "" && name !== "Object"
        ? `"${name}"`
        : "(object)";
    }
  } catch {
    return "(unreadable)";
  }
  return describe(target);
}
// #endregion describe

/** `options` as given, or `{}` when omitted; anything but an object is refused by name. */
export function optionsObject<O extends object>(value: O | undefined, name = "options"): O {
  if (value === undefined) return {} as O;
  if (typeof value !== "object" || value === null) {
    throw badArgument(name, "an object", value);
  }
  return value;
}

/** Whether `value` is an AbortSignal; `false` (not a throw) for a Proxy that throws. */
export function isAbortSignal(value: unknown): value is AbortSignal {
  try {
    return value instanceof AbortSignal;
  } catch {
    return false;
  }
}

/** `signal` as given when it is an AbortSignal or undefined; anything else is refused by name. */
export function checkSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || isAbortSignal(value)) return value;
  throw badArgument(name, "an AbortSignal", value);
}

/** Validates a count option: a whole number from `min` up, or Infinity when allowed. */
export function checkCount(name: string, value: unknown, min: number, infinite = false): number {
  if (infinite && value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    const what = `a whole number of at least ${min}${infinite ? " (or Infinity)" : ""}`;
    throw badArgument(name, what, value, typeof value === "number" ? RangeError : TypeError);
  }
  return value;
}

/**
 * Validates a time limit or delay: a number of milliseconds above 0 (from 0 with `allowZero`)
 * and at most {@link MAX_DELAY}, the longest a timer can wait. NaN fails both comparisons.
 */
export function checkDuration(name: string, value: unknown, allowZero = false): number {
  if (typeof value !== "number" || !(allowZero ? value >= 0 : value > 0) || !(value <= MAX_DELAY)) {
    const what = `a number of milliseconds ${allowZero ? "from 0" : "above 0"} up to ${MAX_DELAY}`;
    throw badArgument(name, what, value, typeof value === "number" ? RangeError : TypeError);
  }
  return value;
}

/** Writes to the console, and never throws: `console.error` can, on a hostile value. */
export function log(message: string, ...values: unknown[]): void {
  try {
    console.error(message, ...values);
  } catch {
    try {
      console.error(message, ...values.map(describeError));
    } catch {
      // nowhere left to report to
    }
  }
}

/** Hands an event that could not be published to the error channel (default: the console). */
export function reportUnpublished<E>(
  onError: ((error: AggregateError, event: E) => void) | undefined,
  error: unknown,
  event: E,
): void {
  const failure = new AggregateError([error], "an event could not be published to observers");
  try {
    if (onError) onError(failure, event);
    else log("AsyncSubject: an event could not be published:", failure);
  } catch (thrown) {
    log("AsyncSubject: onError threw while reporting an unpublished event", thrown, failure);
  }
}
