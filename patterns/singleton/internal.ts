/**
 * Helpers the singleton modules share: safe descriptions of values and the one message every bad
 * argument gets. Internal: `index.ts` does not re-export them.
 */

/** The longest delay `setTimeout` honours, 2^31 − 1 ms: a longer one fires after 1 ms. */
export const MAX_DELAY = 2 ** 31 - 1;

/**
 * A short description of any value for an error message. It never throws: a value whose
 * properties throw when read (a revoked Proxy, a throwing getter) is `an unreadable value`.
 */
export function describe(value: unknown): string {
  try {
    switch (typeof value) {
      case "string":
        return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
      case "number":
        return Object.is(value, -0) ? "-0" : String(value);
      case "bigint":
        return `${value}n`;
      case "function":
        return value.name ? `function ${value.name}` : "a function";
      case "object": {
        if (value === null) return "null";
        if (Array.isArray(value)) return "an array";
        const name: unknown = Object.getPrototypeOf(value)?.constructor?.name;
        return typeof name === "string" && name !== "" && name !== "Object"
          ? `an instance of ${name}`
          : "an object";
      }
      default: // undefined, boolean, symbol
        return String(value);
    }
  } catch {
    return "an unreadable value";
  }
}

/**
 * The one message every bad argument gets: ``TypeError: `options.timeoutMs` must be …, got
 * 1e+308``. `Kind` is `RangeError` for a number out of range.
 */
export function badArgument(
  name: string,
  what: string,
  value: unknown,
  Kind: new (message: string) => Error = TypeError,
): Error {
  return new Kind(`\`${name}\` must be ${what}, got ${describe(value)}`);
}

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
