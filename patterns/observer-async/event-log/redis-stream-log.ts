/**
 * The event log on Redis Streams: `XADD` appends, `XRANGE` replays, and each consumer of the
 * `EventLog` interface is a consumer group (`XGROUP CREATE … MKSTREAM`), so it keeps its own
 * position on the server. Within a group, each process is a Redis consumer (`name`); what it
 * read but never acknowledged stays in the group's pending entries list, and it gets those first
 * when it comes back (`XREADGROUP … 0`). If it never comes back, another process claims them once
 * they have been idle `claimIdleMs` (`XAUTOCLAIM`). Durability is the server's: with
 * `appendonly yes`, `appendfsync always | everysec | no` are the file log's three policies.
 */
import { Redis, type RedisOptions } from "ioredis";
import { LogArgumentError, LogClosedError } from "./errors";
import {
  checkConsumer,
  checkLimit,
  type EventLog,
  type Json,
  type LogRecord,
  type Offset,
  serialise,
} from "./types";

/** Which stream, who this process is in each group, and when it claims a dead member's entries. */
export interface RedisStreamLogOptions {
  /** The stream's key. Default `"events"`. */
  readonly stream?: string;
  /**
   * This process's consumer name inside every group; a restarted process must reuse its name to
   * get its own unacknowledged entries back. Default `process-<pid>`.
   */
  readonly name?: string;
  /**
   * Entries another consumer of the group has held unacknowledged for at least this long are
   * claimed by `poll()` (`XAUTOCLAIM`). Default 60 000 ms; 0 claims at once (for tests).
   */
  readonly claimIdleMs?: number;
  /** Passed to ioredis, except `replyMapping`: the log reads replies in their legacy shapes. */
  readonly redis?: Omit<RedisOptions, "replyMapping">;
}

type StreamEntry = [id: string, fields: string[]];

/**
 * The Redis Streams `EventLog`.
 *
 * @example
 * ```ts
 * const log = await RedisStreamLog.connect<Order>("redis://127.0.0.1:6379", {
 *   stream: "orders",
 *   name: "mailer-1",
 * });
 * const offset = await log.append({ id: 7, total: 42 }); // "1712345678901-0"
 * for (const { event, offset } of await log.poll("mailer")) {
 *   await sendMail(event);
 *   await log.ack("mailer", offset);
 * }
 * await log.close();
 * ```
 */
export class RedisStreamLog<T extends Json = Json> implements EventLog<T> {
  readonly stream: string;
  readonly name: string;
  readonly claimIdleMs: number;
  readonly #redis: Redis;
  readonly #groups = new Set<string>();
  /** Per group: where our own pending history continues, until it is exhausted. */
  readonly #history = new Map<string, string | null>();
  #closed = false;

  private constructor(redis: Redis, stream: string, name: string, claimIdleMs: number) {
    this.#redis = redis;
    this.stream = stream;
    this.name = name;
    this.claimIdleMs = claimIdleMs;
  }

  /** Connects to `url` (`redis://host:port`) and resolves once the connection is ready. */
  static async connect<T extends Json = Json>(
    url: string,
    options: RedisStreamLogOptions = {},
  ): Promise<RedisStreamLog<T>> {
    const stream = options.stream ?? "events";
    if (typeof stream !== "string" || stream.length === 0)
      throw new LogArgumentError("stream", "a non-empty string", stream);
    const name = options.name ?? `process-${process.pid}`;
    if (typeof name !== "string" || name.length === 0)
      throw new LogArgumentError("name", "a non-empty string", name);
    const claimIdleMs = options.claimIdleMs ?? 60_000;
    if (typeof claimIdleMs !== "number" || !Number.isInteger(claimIdleMs) || claimIdleMs < 0)
      throw new LogArgumentError(
        "claimIdleMs",
        "a whole number of milliseconds, 0 or more",
        claimIdleMs,
      );
    // The type argument names the reply mode too: inferred, it costs the compiler seconds
    // comparing instantiations of ioredis's Redis class.
    const redis = new Redis<"legacy">(url, {
      ...options.redis,
      lazyConnect: true,
      replyMapping: "legacy",
    });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    return new RedisStreamLog<T>(redis, stream, name, claimIdleMs);
  }

  async append(event: T): Promise<Offset> {
    this.#checkOpen();
    const id = await this.#redis.xadd(this.stream, "*", "event", serialise(event));
    if (id === null) throw new Error("XADD returned no id");
    return id;
  }

  async read(from?: Offset, limit = 100): Promise<LogRecord<T>[]> {
    this.#checkOpen();
    checkLimit(limit);
    const start = from === undefined ? "-" : checkId(from, "from");
    const entries = (await this.#redis.xrange(
      this.stream,
      start,
      "+",
      "COUNT",
      limit,
    )) as StreamEntry[];
    return entries.map(toRecord<T>);
  }

  // #region poll
  async poll(consumer: string, limit = 100): Promise<LogRecord<T>[]> {
    this.#checkOpen();
    const group = checkConsumer(consumer);
    checkLimit(limit);
    await this.#ensureGroup(group);

    // 1. Entries a dead (or slow) member of the group left unacknowledged for claimIdleMs.
    const [, claimed] = (await this.#redis.xautoclaim(
      this.stream,
      group,
      this.name,
      this.claimIdleMs,
      "0-0",
      "COUNT",
      limit,
    )) as [string, (StreamEntry | null)[]];
    const taken = claimed.filter((entry): entry is StreamEntry => entry !== null);
    if (taken.length > 0) return taken.map(toRecord<T>);

    // 2. Our own entries from before a restart, delivered but never acknowledged.
    let after = this.#history.has(group) ? this.#history.get(group) : "0";
    while (after) {
      const mine = await this.#readGroup(group, after, limit);
      const last = mine.at(-1);
      this.#history.set(group, last ? last[0] : null);
      if (last) {
        // Entries deleted from the stream while pending come back with no fields: skip them.
        const live = mine.filter((entry) => entry[1] !== null && entry[1].length > 0);
        if (live.length > 0) return live.map(toRecord<T>);
      }
      after = this.#history.get(group);
    }

    // 3. Entries the group has not delivered to anyone yet.
    return (await this.#readGroup(group, ">", limit)).map(toRecord<T>);
  }
  // #endregion poll

  async ack(consumer: string, offset: Offset): Promise<void> {
    this.#checkOpen();
    const group = checkConsumer(consumer);
    const id = checkId(offset, "offset");
    await this.#ensureGroup(group);
    await this.#redis.xack(this.stream, group, id);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #checkOpen(): void {
    if (this.#closed) throw new LogClosedError();
  }

  async #ensureGroup(group: string): Promise<void> {
    if (this.#groups.has(group)) return;
    try {
      // From "0": a new consumer starts at the beginning of the log, as with the file log.
      await this.#redis.xgroup("CREATE", this.stream, group, "0", "MKSTREAM");
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("BUSYGROUP"))) throw error;
    }
    this.#groups.add(group);
  }

  async #readGroup(group: string, id: string, limit: number): Promise<StreamEntry[]> {
    const reply = (await this.#redis.xreadgroup(
      "GROUP",
      group,
      this.name,
      "COUNT",
      limit,
      "STREAMS",
      this.stream,
      id,
    )) as [string, StreamEntry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  }
}

function checkId(offset: unknown, name: string): string {
  if (typeof offset === "string" && /^\d+-\d+$/.test(offset)) return offset;
  throw new LogArgumentError(name, 'a stream id like "1712345678901-0"', offset);
}

function toRecord<T extends Json>([id, fields]: StreamEntry): LogRecord<T> {
  const at = fields.indexOf("event");
  return { offset: id, event: JSON.parse(fields[at + 1] ?? "null") as T };
}
