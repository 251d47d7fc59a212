/**
 * The one message every bad argument of the factory pattern gets, and the safe description of a
 * value it uses. Internal: `index.ts` does not re-export them.
 */

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
 * ``TypeError: `options.width` must be …, got 1e+308``: the name in backticks, what it must be,
 * and the value as {@link describe} shows it. `Kind` is `RangeError` for a number out of range.
 */
export function badArgument(
  name: string,
  what: string,
  value: unknown,
  Kind: new (message: string) => Error = TypeError,
): Error {
  return new Kind(`\`${name}\` must be ${what}, got ${describe(value)}`);
}
