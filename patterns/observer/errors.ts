/**
 * The errors of the lifecycle repository and of notifications, and the one message every bad
 * argument of the observer pattern gets. (`ObserverError` and `RecursionLimitError` live with
 * the `Subject`, in `subject.ts`.)
 *
 * @module
 */
import type { Model, VetoableEvent } from "./lifecycle";

/**
 * A short description of any value for an error message. It never throws: a value whose
 * properties throw when read (a revoked Proxy, a throwing getter) is `an unreadable value`.
 *
 * @internal
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
 * ``TypeError: `options.uid` must be a string, got 1``: the name in backticks, what it must be,
 * and the value as {@link describe} shows it.
 *
 * @internal
 */
export function badArgument(
  name: string,
  what: string,
  value: unknown,
  Kind: new (message: string) => Error = TypeError,
): Error {
  return new Kind(`\`${name}\` must be ${what}, got ${describe(value)}`);
}

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
