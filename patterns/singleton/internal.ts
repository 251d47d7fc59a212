/**
 * Helpers the singleton modules share: safe descriptions of values and the one message every bad
 * argument gets. Internal: `index.ts` does not re-export them.
 */

/** The longest delay `setTimeout` honours, 2^31 − 1 ms: a longer one fires after 1 ms. */
export const MAX_DELAY = 2 ** 31 - 1;

export { badArgument, describe } from "../describe";

import { badArgument } from "../describe";

/** `options` as given, or `{}` when omitted; anything but an object is refused by name. */
export function optionsObject<O extends object>(value: O | undefined, name = "options"): O {
  if (value === undefined) return {} as O;
  if (typeof value !== "object" || value === null) throw badArgument(name, "an object", value);
  try {
    return { ...value }; // read once, here: a Proxy whose traps throw is refused by name
  } catch {
    throw badArgument(name, "an object whose properties can be read", value);
  }
}

/** Refuses a `name` option that is not a string, by name. */
export function checkName(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string") throw badArgument("options.name", "a string", value);
  return value;
}

/** Refuses a `dispose` option that is neither a function nor undefined, by name. */
export function checkDispose<F>(value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw badArgument("options.dispose", "a function", value);
  }
  return value;
}
