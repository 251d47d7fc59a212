/**
 * A durable event log in one append-only file: events survive a restart, anyone can replay them
 * from an offset, and each named consumer keeps its own position. Each record is
 *
 *     [length of the payload: u32 LE][crc32 of the payload: u32 LE][payload: the event as JSON]
 *
 * so that opening the file can tell a whole record from one torn by a crash.
 */
// Given: the types, the errors and the record header's size.

/** A value JSON can carry: what an event may be. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One stored event and its offset (its index in the log: 0, 1, 2…). */
export interface LogRecord {
  readonly offset: number;
  readonly event: Json;
}

/** The bytes before each payload: its length and its checksum. */
export const HEADER = 8;

/** `event` is something JSON cannot carry faithfully; nothing was appended. */
export class EventTypeError extends TypeError {
  override readonly name = "EventTypeError";

  constructor(readonly event: unknown) {
    super(`\`event\` must be a JSON-serialisable value, got ${typeof event}`);
  }
}

/** An argument other than the event is malformed: `argument` names it, `value` is what was given. */
export class LogArgumentError extends TypeError {
  override readonly name = "LogArgumentError";

  constructor(
    readonly argument: string,
    readonly value: unknown,
  ) {
    super(`\`${argument}\` is not valid here, got ${typeof value}`);
  }
}

/** A damaged record with valid data after it: not a torn tail, so the log refuses to open. */
export class CorruptLogError extends Error {
  override readonly name = "CorruptLogError";

  constructor(
    readonly path: string,
    /** Byte position of the damaged record. */
    readonly position: number,
  ) {
    super(`${path} is corrupt at byte ${position}`);
  }
}

/** The log was used after close(). */
export class LogClosedError extends Error {
  override readonly name = "LogClosedError";

  constructor() {
    super("the event log is closed");
  }
}

/**
 * The file log.
 *
 * @example
 * ```ts
 * const log = await FileLog.open("orders.log");
 * await log.append({ id: 7, total: 42 }); // 0
 * for (const { event, offset } of await log.poll("mailer")) {
 *   await sendMail(event);
 *   await log.ack("mailer", offset);
 * }
 * await log.close();
 * ```
 */
export class FileLog {
  // TODO: the file handle (`open(path, "a+")` from node:fs/promises), each record's byte
  // position, each consumer's acknowledgements, and one chain of writes.

  /** Bytes cut from the end of the file when it was opened: a torn record (0 when clean). */
  readonly droppedBytes: number = 0;

  /** Opens (or creates) the log at `path`, cutting off a torn last record. */
  static open(path: string): Promise<FileLog> {
    throw new Error(`TODO(observer-async/08): implement FileLog.open(${JSON.stringify(path)})`);
  }

  /** How many records the log holds. */
  get length(): number {
    throw new Error("TODO(observer-async/08): implement length");
  }

  /** Appends `event`; resolves with its offset once it is written. */
  append(event: Json): Promise<number> {
    throw new Error(`TODO(observer-async/08): implement append(${typeof event})`);
  }

  /** Up to `limit` records in order, from offset `from` (0 to `length`). */
  read(from = 0, limit = 100): Promise<LogRecord[]> {
    throw new Error(`TODO(observer-async/08): implement read(${from}, ${limit})`);
  }

  /**
   * The next records for `consumer`: those after what it was last handed in this session (or,
   * after a reopen, from its first unacknowledged record), skipping what it has acknowledged.
   */
  poll(consumer: string, limit = 100): Promise<LogRecord[]> {
    throw new Error(
      `TODO(observer-async/08): implement poll(${JSON.stringify(consumer)}, ${limit})`,
    );
  }

  /** Marks record `offset` handled by `consumer`, durably; acknowledging twice is harmless. */
  ack(consumer: string, offset: number): Promise<void> {
    throw new Error(
      `TODO(observer-async/08): implement ack(${JSON.stringify(consumer)}, ${offset})`,
    );
  }

  /** The offset of the first record `consumer` has not acknowledged: its lag is `length` minus this. */
  position(consumer: string): number {
    throw new Error(`TODO(observer-async/08): implement position(${JSON.stringify(consumer)})`);
  }

  /** Waits for pending writes and closes the file. Safe to call twice. */
  close(): Promise<void> {
    throw new Error("TODO(observer-async/08): implement close()");
  }
}
