/**
 * The named errors of the event log. Bad arguments are `TypeError`s / `RangeError`s with the house
 * message template (`` `name` must be …, got … ``); a damaged file is a `CorruptLogError`.
 */

/** Quotes a bad value for a message: strings in quotes, everything else as `String()` shows it. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "bigint") return `${value}n`;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * An event that JSON cannot carry faithfully: `undefined`, a function, a symbol, a bigint, a
 * non-finite number, or a value with a cycle. Nothing was appended.
 *
 * @example
 * ```ts
 * await log.append(undefined);
 * // EventTypeError: `event` must be a JSON-serialisable value, got undefined
 * ```
 */
export class EventTypeError extends TypeError {
  override readonly name = "EventTypeError";

  constructor(
    /** The value that was refused. */
    readonly event: unknown,
    reason = "",
  ) {
    super(
      `\`event\` must be a JSON-serialisable value, got ${show(event)}${reason ? ` (${reason})` : ""}`,
    );
  }
}

/**
 * An event whose JSON is larger than one record of the file log may hold (64 MiB). Nothing was
 * appended: written anyway, the record would read as damage and be cut off on the next open.
 *
 * @example
 * ```ts
 * await log.append("x".repeat(64 * 1024 * 1024));
 * // EventTooLargeError: `event` must be at most 67108864 bytes as JSON, got 67108866
 * ```
 */
export class EventTooLargeError extends RangeError {
  override readonly name = "EventTooLargeError";

  constructor(
    /** The size of the event's JSON, in bytes. */
    readonly bytes: number,
    /** The most a record may hold, in bytes. */
    readonly limit: number,
  ) {
    super(`\`event\` must be at most ${limit} bytes as JSON, got ${bytes}`);
  }
}

/**
 * An argument other than the event is malformed: a consumer name, an offset, a limit, an option.
 *
 * @example
 * ```ts
 * await log.poll("");
 * // LogArgumentError: `consumer` must be a non-empty string, got ""
 * ```
 */
export class LogArgumentError extends TypeError {
  override readonly name = "LogArgumentError";

  constructor(
    /** The argument's name. */
    readonly argument: string,
    expected: string,
    /** The value that was refused. */
    readonly value: unknown,
  ) {
    super(`\`${argument}\` must be ${expected}, got ${show(value)}`);
  }
}

/**
 * A record in the middle of a log file failed its checksum (or its length is impossible) and valid
 * data follows it: the file was damaged after it was written, not torn by a crash. Opening refuses
 * rather than silently dropping acknowledged events.
 */
export class CorruptLogError extends Error {
  override readonly name = "CorruptLogError";

  constructor(
    /** The file. */
    readonly path: string,
    /** Byte position of the damaged record. */
    readonly position: number,
    reason: string,
  ) {
    super(`${path} is corrupt at byte ${position}: ${reason}`);
  }
}

/** The log was used after `close()`. */
export class LogClosedError extends Error {
  override readonly name = "LogClosedError";

  constructor() {
    super("the event log is closed");
  }
}
