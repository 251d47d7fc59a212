/**
 * The house style for bad arguments, shared by every pattern: one safe description of a value and
 * one message template. Internal: no pattern's `index.ts` re-exports it.
 *
 * @module
 */

/**
 * A short description of any value for an error message. It never throws, whatever it is given:
 * a value whose properties throw when read (a revoked Proxy, an object with a throwing getter) is
 * `an unreadable value`, instead of breaking the error handling that was describing it.
 *
 * @example
 * ```ts
 * describe(42); // "42"
 * describe("on"); // "\"on\""
 * describe(new Map()); // "an instance of Map"
 * describe(Object.create(null)); // "an object"
 * ```
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

// #region bad-argument
/**
 * The one message every bad argument gets: ``TypeError: `options.width` must be a positive
 * number, got 1e+308``: the name in backticks, what it must be, and the value as {@link describe}
 * shows it, so building the error cannot itself throw.
 *
 * @param name The argument or option, as the caller wrote it (`timeout`, `options.signal`).
 * @param what What it must be.
 * @param Kind `RangeError` for a number out of range, `TypeError` (default) for the rest.
 */
export function badArgument(
  name: string,
  what: string,
  value: unknown,
  Kind: new (message: string) => Error = TypeError,
): Error {
  return new Kind(`\`${name}\` must be ${what}, got ${describe(value)}`);
}
// #endregion bad-argument
