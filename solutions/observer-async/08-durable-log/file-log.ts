/**
 * A durable event log in one append-only file: events survive a restart, anyone can replay them
 * from an offset, and each named consumer keeps its own position. Each record is
 *
 *     [length of the payload: u32 LE][crc32 of the payload: u32 LE][payload: the event as JSON]
 *
 * so that opening the file can tell a whole record from one torn by a crash.
 */
import { type FileHandle, open, readFile, rename, writeFile } from "node:fs/promises";
import { crc32 } from "node:zlib";

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

/** What a consumer has acknowledged: every record below `committed`, and the ones in `acked`. */
interface Consumer {
  committed: number;
  readonly acked: Set<number>;
  /** The next record to hand out in this session; a reopened log starts again at `committed`. */
  cursor: number;
}

const isIndex = (value: unknown, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;

function checkLimit(limit: unknown): void {
  if (!isIndex(limit, Number.MAX_SAFE_INTEGER) || limit < 1) {
    throw new LogArgumentError("limit", limit);
  }
}

function checkConsumer(consumer: unknown): void {
  if (typeof consumer !== "string" || consumer === "") {
    throw new LogArgumentError("consumer", consumer);
  }
}

/**
 * The position of each whole record in `data`, and where the whole records end. A bad record that
 * runs to the end of the file, or is followed by zeros only, is a torn tail; followed by anything
 * else, it is damage.
 */
function scan(path: string, data: Buffer): { positions: number[]; end: number } {
  const positions: number[] = [];
  let at = 0;
  while (data.length - at >= HEADER) {
    const length = data.readUInt32LE(at);
    const end = at + HEADER + length;
    if (end > data.length) break;
    if (length === 0 || crc32(data.subarray(at + HEADER, end)) !== data.readUInt32LE(at + 4)) {
      if (end === data.length || data.subarray(at).every((byte) => byte === 0)) break;
      throw new CorruptLogError(path, at);
    }
    positions.push(at);
    at = end;
  }
  return { positions, end: at };
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
  /** Bytes cut from the end of the file when it was opened: a torn record (0 when clean). */
  readonly droppedBytes: number;
  readonly #path: string;
  readonly #handle: FileHandle;
  /** The byte position of each record, by offset. */
  readonly #positions: number[];
  #size: number;
  readonly #consumers: Map<string, Consumer>;
  /** Every write, one after the other: two appends must not both take the same offset. */
  #writes: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    path: string,
    handle: FileHandle,
    scanned: { positions: number[]; end: number },
    droppedBytes: number,
    consumers: Map<string, Consumer>,
  ) {
    this.#path = path;
    this.#handle = handle;
    this.#positions = scanned.positions;
    this.#size = scanned.end;
    this.droppedBytes = droppedBytes;
    this.#consumers = consumers;
  }

  /** Opens (or creates) the log at `path`, cutting off a torn last record. */
  static async open(path: string): Promise<FileLog> {
    if (typeof path !== "string" || path === "") throw new LogArgumentError("path", path);
    const handle = await open(path, "a+");
    try {
      const data = await handle.readFile();
      const scanned = scan(path, data);
      // Cut the torn tail, or the next append would land after it and be lost on the next open.
      if (scanned.end < data.length) await handle.truncate(scanned.end);
      const consumers = await loadConsumers(`${path}.consumers.json`);
      return new FileLog(path, handle, scanned, data.length - scanned.end, consumers);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** How many records the log holds. */
  get length(): number {
    return this.#positions.length;
  }

  /** Appends `event`; resolves with its offset once it is written. */
  async append(event: Json): Promise<number> {
    this.#checkOpen();
    let text: string | undefined;
    try {
      text = JSON.stringify(event);
    } catch {
      // a cycle, or a bigint: `text` stays undefined
    }
    if (text === undefined || (typeof event === "number" && !Number.isFinite(event))) {
      throw new EventTypeError(event);
    }
    const payload = Buffer.from(text);
    const record = Buffer.alloc(HEADER + payload.length);
    record.writeUInt32LE(payload.length, 0);
    record.writeUInt32LE(crc32(payload), 4);
    payload.copy(record, HEADER);
    return this.#serially(async () => {
      await this.#handle.appendFile(record);
      this.#positions.push(this.#size);
      this.#size += record.length;
      return this.#positions.length - 1;
    });
  }

  /** Up to `limit` records in order, from offset `from` (0 to `length`). */
  async read(from = 0, limit = 100): Promise<LogRecord[]> {
    this.#checkOpen();
    if (!isIndex(from, this.length)) throw new LogArgumentError("from", from);
    checkLimit(limit);
    const offsets: number[] = [];
    for (let i = from; i < Math.min(this.length, from + limit); i++) offsets.push(i);
    return this.#records(offsets);
  }

  /**
   * The next records for `consumer`: those after what it was last handed in this session (or,
   * after a reopen, from its first unacknowledged record), skipping what it has acknowledged.
   */
  async poll(consumer: string, limit = 100): Promise<LogRecord[]> {
    this.#checkOpen();
    checkConsumer(consumer);
    checkLimit(limit);
    const state = this.#consumer(consumer);
    const offsets: number[] = [];
    let i = Math.max(state.cursor, state.committed);
    for (; i < this.length && offsets.length < limit; i++) {
      if (!state.acked.has(i)) offsets.push(i);
    }
    state.cursor = i;
    return this.#records(offsets);
  }

  /** Marks record `offset` handled by `consumer`, durably; acknowledging twice is harmless. */
  async ack(consumer: string, offset: number): Promise<void> {
    this.#checkOpen();
    checkConsumer(consumer);
    if (!isIndex(offset, this.length - 1)) throw new LogArgumentError("offset", offset);
    const state = this.#consumer(consumer);
    if (offset < state.committed || state.acked.has(offset)) return;
    state.acked.add(offset);
    // Out of order is fine: the position only moves past records that are all acknowledged.
    while (state.acked.delete(state.committed)) state.committed++;
    await this.#serially(() => this.#saveConsumers());
  }

  /** The offset of the first record `consumer` has not acknowledged: its lag is `length` minus this. */
  position(consumer: string): number {
    this.#checkOpen();
    checkConsumer(consumer);
    return this.#consumer(consumer).committed;
  }

  /** Waits for pending writes and closes the file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes;
    await this.#handle.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new LogClosedError();
  }

  #serially<R>(write: () => Promise<R>): Promise<R> {
    const result = this.#writes.then(write);
    this.#writes = result.catch(() => {});
    return result;
  }

  #consumer(name: string): Consumer {
    let state = this.#consumers.get(name);
    if (state === undefined) {
      state = { committed: 0, acked: new Set(), cursor: 0 };
      this.#consumers.set(name, state);
    }
    return state;
  }

  async #records(offsets: readonly number[]): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    for (const offset of offsets) {
      const start = this.#positions[offset] as number;
      const end = this.#positions[offset + 1] ?? this.#size;
      const bytes = Buffer.alloc(end - start - HEADER);
      await this.#handle.read(bytes, 0, bytes.length, start + HEADER);
      records.push({ offset, event: JSON.parse(bytes.toString("utf8")) as Json });
    }
    return records;
  }

  /**
   * Writes every position to a temporary file and renames it over the old one, so a crash leaves
   * the old positions or the new, never half of each. (The reference also syncs, against power cuts.)
   */
  async #saveConsumers(): Promise<void> {
    const saved: Record<string, { committed: number; acked: number[] }> = {};
    for (const [name, state] of this.#consumers) {
      saved[name] = { committed: state.committed, acked: [...state.acked] };
    }
    const path = `${this.#path}.consumers.json`;
    const temporary = `${path}.tmp`;
    await writeFile(temporary, JSON.stringify(saved));
    await rename(temporary, path);
  }
}

async function loadConsumers(path: string): Promise<Map<string, Consumer>> {
  const consumers = new Map<string, Consumer>();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return consumers; // no consumer has acknowledged anything yet
  }
  const saved = JSON.parse(text) as Record<string, { committed: number; acked: number[] }>;
  for (const [name, { committed, acked }] of Object.entries(saved)) {
    consumers.set(name, { committed, acked: new Set(acked), cursor: committed });
  }
  return consumers;
}
