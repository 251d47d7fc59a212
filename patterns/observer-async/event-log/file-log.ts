/**
 * The embedded event log: one append-only file, no server. Each record is
 *
 *     [length: u32 LE][crc32 of the payload: u32 LE][payload: the event as UTF-8 JSON]
 *
 * so a reader can tell a whole record from a torn one. Consumers' positions live beside it in
 * `<path>.consumers.json`, replaced atomically (write a temporary file, then rename it over).
 * One process writes a log at a time; open it again after that process has exited.
 */
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { CorruptLogError, EventTooLargeError, LogArgumentError, LogClosedError } from "./errors";
import {
  checkConsumer,
  checkLimit,
  type EventLog,
  type Json,
  type LogRecord,
  type Offset,
  serialise,
} from "./types";

// #region fsync-policy
/**
 * When the file log asks the disk to make appends permanent (`fdatasync`):
 *
 * - `"always"`: before `append()` resolves. An acknowledged event survives a process crash, a
 *   kernel panic and a power cut. Appends that arrive while a sync is in flight share the next one
 *   (group commit), so concurrent appenders pay for one sync per batch, not one each.
 * - `"interval"`: every `fsyncIntervalMs` (1 s by default) and on `close()`. `append()` resolves
 *   once the record is in the operating system's page cache: it survives the process being killed
 *   (even SIGKILL), but an OS crash or power cut can lose the last interval's events.
 * - `"never"`: the OS writes back when it likes. Same guarantee against a killed process, none
 *   against an OS crash. For logs you can rebuild.
 */
export type FsyncPolicy = "always" | "interval" | "never";
// #endregion fsync-policy

/** How `FileLog.open()` syncs: the policy and, for `"interval"`, how often. */
export interface FileLogOptions {
  /** See `FsyncPolicy`. Default `"always"`. */
  readonly fsync?: FsyncPolicy;
  /** For `fsync: "interval"`: milliseconds between syncs. Default 1000. */
  readonly fsyncIntervalMs?: number;
}

const HEADER = 8;
/** The most one record's payload may hold; on open, a length above it is damage, not a record. */
export const MAX_RECORD = 64 * 1024 * 1024;

interface Pending {
  readonly record: Buffer;
  readonly resolve: (offset: Offset) => void;
  readonly reject: (error: unknown) => void;
}

interface ConsumerState {
  /** Every record below this index is acknowledged. */
  committed: number;
  /** Acknowledged records at or above `committed` (acknowledged out of order). */
  readonly acked: Set<number>;
  /** The next record to deliver in this session (not persisted: a restart starts at `committed`). */
  cursor: number;
}

interface ConsumersFile {
  readonly version: 1;
  readonly consumers: Record<string, { committed: number; acked: number[] }>;
}

/**
 * The file-backed `EventLog`.
 *
 * @example
 * ```ts
 * const log = await FileLog.open<Order>("orders.log", { fsync: "always" });
 * const offset = await log.append({ id: 7, total: 42 }); // on disk when this resolves
 * for (const { event, offset } of await log.poll("mailer")) {
 *   await sendMail(event);
 *   await log.ack("mailer", offset);
 * }
 * await log.close();
 * ```
 */
export class FileLog<T extends Json = Json> implements EventLog<T> {
  /** Bytes cut from the end of the file on open: a record torn by a crash (0 when clean). */
  readonly droppedBytes: number;
  readonly fsync: FsyncPolicy;
  readonly #path: string;
  readonly #handle: FileHandle;
  /** Byte position of each record, by index. */
  readonly #positions: number[];
  #size: number;
  #pending: Pending[] = [];
  #flushing: Promise<void> | null = null;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #consumers = new Map<string, ConsumerState>();
  #saving: Promise<void> = Promise.resolve();
  #saveQueued: Promise<void> | null = null;

  private constructor(
    path: string,
    handle: FileHandle,
    positions: number[],
    size: number,
    droppedBytes: number,
    fsync: FsyncPolicy,
  ) {
    this.#path = path;
    this.#handle = handle;
    this.#positions = positions;
    this.#size = size;
    this.droppedBytes = droppedBytes;
    this.fsync = fsync;
  }

  /** The log file's path. */
  get path(): string {
    return this.#path;
  }

  /** How many records the log holds. */
  get length(): number {
    return this.#positions.length;
  }

  /**
   * Opens (or creates) the log at `path`, checking every record. A damaged last record (a crash
   * in the middle of a write) is cut off, and `droppedBytes` says how much; damage followed by
   * valid data is a `CorruptLogError`.
   */
  static async open<T extends Json = Json>(
    path: string,
    options: FileLogOptions = {},
  ): Promise<FileLog<T>> {
    if (typeof path !== "string" || path.length === 0)
      throw new LogArgumentError("path", "a non-empty string", path);
    const fsync = options.fsync ?? "always";
    if (fsync !== "always" && fsync !== "interval" && fsync !== "never")
      throw new LogArgumentError("fsync", '"always", "interval" or "never"', fsync);
    const interval = options.fsyncIntervalMs ?? 1000;
    if (typeof interval !== "number" || !(interval > 0) || !Number.isFinite(interval))
      throw new LogArgumentError("fsyncIntervalMs", "a number of milliseconds above 0", interval);

    const handle = await open(path, "a+");
    try {
      const data = await handle.readFile();
      const { positions, end } = scan(path, data);
      const dropped = data.length - end;
      if (dropped > 0) {
        await handle.truncate(end);
        await handle.datasync();
      }
      if (fsync === "always") await syncDirectory(path);
      const log = new FileLog<T>(path, handle, positions, end, dropped, fsync);
      await log.#loadConsumers();
      if (fsync === "interval") {
        log.#timer = setInterval(() => void log.#sync().catch(() => {}), interval);
        log.#timer.unref();
      }
      return log;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  append(event: T): Promise<Offset> {
    if (this.#closed) return Promise.reject(new LogClosedError());
    let payload: Buffer;
    try {
      payload = Buffer.from(serialise(event));
    } catch (error) {
      return Promise.reject(error);
    }
    if (payload.length > MAX_RECORD) {
      return Promise.reject(new EventTooLargeError(payload.length, MAX_RECORD));
    }
    const record = Buffer.allocUnsafe(HEADER + payload.length);
    record.writeUInt32LE(payload.length, 0);
    record.writeUInt32LE(crc32(payload), 4);
    payload.copy(record, HEADER);
    return new Promise((resolve, reject) => {
      this.#pending.push({ record, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  // #region group-commit
  /**
   * Writes everything queued as one write (and, with `"always"`, one sync), then resolves each
   * append with its offset; repeats while appends keep arriving during the write.
   */
  async #flush(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        const bytes = Buffer.concat(batch.map((p) => p.record));
        try {
          let written = 0;
          while (written < bytes.length) {
            const { bytesWritten } = await this.#handle.write(bytes, written);
            written += bytesWritten;
          }
          if (this.fsync === "always") await this.#handle.datasync();
          else this.#dirty = true;
        } catch (error) {
          // Whatever part reached the file is a torn tail: cut it so later records stay readable.
          await this.#handle.truncate(this.#size).catch(() => {});
          for (const p of batch) p.reject(error);
          continue;
        }
        let position = this.#size;
        for (const p of batch) {
          p.resolve(String(this.#positions.length));
          this.#positions.push(position);
          position += p.record.length;
        }
        this.#size = position;
      }
    } finally {
      this.#flushing = null;
    }
  }
  // #endregion group-commit

  async #sync(): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    await this.#handle.datasync();
  }

  async read(from?: Offset, limit = 100): Promise<LogRecord<T>[]> {
    this.#checkOpen();
    checkLimit(limit);
    const start = from === undefined ? 0 : this.#index(from, "from", this.length);
    return this.#readRange(start, Math.min(this.length, start + limit));
  }

  async poll(consumer: string, limit = 100): Promise<LogRecord<T>[]> {
    this.#checkOpen();
    const state = this.#consumer(checkConsumer(consumer));
    checkLimit(limit);
    const wanted: number[] = [];
    let i = Math.max(state.cursor, state.committed);
    for (; i < this.length && wanted.length < limit; i++) if (!state.acked.has(i)) wanted.push(i);
    state.cursor = i;
    const first = wanted[0];
    const last = wanted.at(-1);
    if (first === undefined || last === undefined) return [];
    const records = await this.#readRange(first, last + 1);
    return records.filter((r) => !state.acked.has(Number(r.offset)));
  }

  async ack(consumer: string, offset: Offset): Promise<void> {
    this.#checkOpen();
    const state = this.#consumer(checkConsumer(consumer));
    const index = this.#index(offset, "offset", this.length - 1);
    if (index < state.committed || state.acked.has(index)) return;
    state.acked.add(index);
    while (state.acked.delete(state.committed)) state.committed++;
    await this.#saveConsumers();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#flushing;
    await this.#saving;
    if (this.fsync === "interval") await this.#sync();
    await this.#handle.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new LogClosedError();
  }

  #index(offset: unknown, name: string, max: number): number {
    if (typeof offset === "string" && /^(0|[1-9]\d*)$/.test(offset)) {
      const index = Number(offset);
      if (index <= max) return index;
    }
    throw new LogArgumentError(
      name,
      max < 0 ? "an offset of this log (it is empty)" : `an offset of this log, "0" to "${max}"`,
      offset,
    );
  }

  async #readRange(start: number, end: number): Promise<LogRecord<T>[]> {
    if (start >= end) return [];
    const from = this.#positions[start] ?? this.#size;
    const to = this.#positions[end] ?? this.#size;
    const bytes = Buffer.allocUnsafe(to - from);
    const { bytesRead } = await this.#handle.read(bytes, 0, bytes.length, from);
    if (bytesRead < bytes.length)
      throw new CorruptLogError(this.#path, from + bytesRead, "the file is shorter than its index");
    const records: LogRecord<T>[] = [];
    for (let i = start; i < end; i++) {
      const at = (this.#positions[i] ?? 0) - from;
      const length = bytes.readUInt32LE(at);
      const payload = bytes.subarray(at + HEADER, at + HEADER + length);
      if (crc32(payload) !== bytes.readUInt32LE(at + 4))
        throw new CorruptLogError(this.#path, from + at, "checksum mismatch");
      records.push({ offset: String(i), event: JSON.parse(payload.toString("utf8")) as T });
    }
    return records;
  }

  #consumer(name: string): ConsumerState {
    let state = this.#consumers.get(name);
    if (state === undefined) {
      state = { committed: 0, acked: new Set(), cursor: 0 };
      this.#consumers.set(name, state);
    }
    return state;
  }

  get #consumersPath(): string {
    return `${this.#path}.consumers.json`;
  }

  async #loadConsumers(): Promise<void> {
    let text: string;
    try {
      const handle = await open(this.#consumersPath, "r");
      try {
        text = await handle.readFile("utf8");
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    const file = JSON.parse(text) as ConsumersFile;
    for (const [name, saved] of Object.entries(file.consumers)) {
      // A position past the end can only follow a lost unsynced tail ("never"/"interval").
      const committed = Math.min(saved.committed, this.length);
      const acked = new Set(saved.acked.filter((i) => i >= committed && i < this.length));
      this.#consumers.set(name, { committed, acked, cursor: committed });
    }
  }

  // #region atomic-offsets
  /**
   * Persists every consumer's position: the whole file is written under a temporary name, synced,
   * and renamed over the old one, so a crash leaves either the old positions or the new, never
   * half of each. Acks that arrive while a write is in flight share the next write.
   */
  #saveConsumers(): Promise<void> {
    if (this.#saveQueued) return this.#saveQueued;
    const save = this.#saving.then(async () => {
      this.#saveQueued = null;
      const consumers: ConsumersFile["consumers"] = {};
      for (const [name, state] of this.#consumers)
        consumers[name] = {
          committed: state.committed,
          acked: [...state.acked].sort((a, b) => a - b),
        };
      const temporary = `${this.#consumersPath}.${process.pid}.tmp`;
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(JSON.stringify({ version: 1, consumers } satisfies ConsumersFile));
        if (this.fsync !== "never") await handle.datasync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temporary, this.#consumersPath);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      if (this.fsync === "always") await syncDirectory(this.#consumersPath);
    });
    this.#saveQueued = save;
    this.#saving = save.catch(() => {});
    return save;
  }
  // #endregion atomic-offsets
}

// #region recovery
/**
 * Walks the records of `data`. Returns each whole record's position and where the valid data
 * ends. A bad record that runs to the end of the file (too short, or a checksum that fails on the
 * last bytes, or zeros a crash left behind) is a torn tail and ends the scan; a bad record with
 * more data after it is a `CorruptLogError`.
 */
function scan(path: string, data: Buffer): { positions: number[]; end: number } {
  const positions: number[] = [];
  let at = 0;
  while (at < data.length) {
    if (data.length - at < HEADER) break;
    const length = data.readUInt32LE(at);
    const end = at + HEADER + length;
    if (end > data.length) break;
    const good =
      length > 0 &&
      length <= MAX_RECORD &&
      crc32(data.subarray(at + HEADER, end)) === data.readUInt32LE(at + 4);
    if (!good) {
      if (end === data.length || isZeros(data, at)) break;
      throw new CorruptLogError(
        path,
        at,
        length === 0 ? "a record of length 0" : "checksum mismatch",
      );
    }
    positions.push(at);
    at = end;
  }
  return { positions, end: at };
}
// #endregion recovery

function isZeros(data: Buffer, from: number): boolean {
  for (let i = from; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}

/** Makes a file's creation or rename durable: sync the folder that lists it. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(dirname(path), "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
