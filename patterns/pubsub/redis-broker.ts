/**
 * The broker beyond one process: the same subscribe/publish shape as {@link Broker}, with Redis
 * pub/sub carrying the messages between processes (and servers). What the network changes:
 *
 * - `subscribe()` resolves once Redis has acknowledged the subscription, and `publish()` once
 *   Redis has taken the message. `publish()` resolves with the number of **broker connections**
 *   that received it (Redis's `PUBLISH` count), not the number of handlers: those run in other
 *   processes, which do not answer.
 * - Delivery is **at most once**: a subscriber that is disconnected when a message is published
 *   never sees it (Redis keeps no pub/sub backlog; use the durable event log for that). Messages
 *   published on one topic by one broker arrive in the order they were published.
 * - Handler failures cannot be thrown to the publisher: every one goes to `onError`.
 *
 * Each broker holds two connections: commands, and one dedicated subscriber connection. A plain
 * topic is a Redis channel (`SUBSCRIBE`); an MQTT pattern becomes a `PSUBSCRIBE` glob that may
 * select too much (`+` becomes `*`, which also crosses levels), so every message is filtered
 * again locally with the in-process trie, and delivered once to each matching handler even when
 * several of this broker's Redis subscriptions selected it. The message's id and correlation id
 * travel in its envelope, so tracing (`currentMessage()`, `withCorrelation()`) crosses processes.
 * After a Redis restart, ioredis reconnects and resubscribes by itself.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import type { PublishOptions } from "./broker";
import { HandlerError, RecursionLimitError } from "./errors";
import { describe, isWildcardPattern, parsePattern, parseTopic } from "./topics";
import { runHandling, traceContext } from "./tracing";
import { TopicTrie } from "./trie";
import type {
  AnyTopics,
  Handler,
  KnownPattern,
  Message,
  MessageFor,
  TopicMap,
  TopicOf,
} from "./types";

// #region options
/**
 * Options of a {@link RedisBroker}.
 *
 * @example
 * ```ts
 * const broker = await RedisBroker.connect<Topics>("redis://127.0.0.1:6379", {
 *   prefix: "shop:",
 *   onError: (error) => log.error(error),
 * });
 * ```
 */
export interface RedisBrokerOptions {
  /**
   * Put before every topic to make its Redis channel, so that several applications can share
   * one Redis. Default `""`. Every broker that should talk together uses the same prefix.
   */
  readonly prefix?: string;
  /**
   * The error channel: an `AggregateError` of {@link HandlerError}s for the handlers of one
   * message that threw or rejected, or a {@link MalformedMessageError} for something on a channel
   * that is not one of our messages. Default: `console.error`. If it throws, the throw is printed
   * and delivery goes on.
   */
  readonly onError?: (error: AggregateError | MalformedMessageError, message?: Message) => void;
  /** As {@link BrokerOptions.maxDepth}: how long a chain of messages may grow. Default 32. */
  readonly maxDepth?: number;
  /**
   * Passed to ioredis for both connections (timeouts, TLS, retry strategy…), except
   * `replyMapping`: the broker reads replies in their legacy shapes.
   */
  readonly redis?: Omit<RedisOptions, "replyMapping">;
  /**
   * Called with `false` when the subscriber connection is lost after it was ready, and with
   * `true` once it is back with its subscriptions renewed and the command connection is ready. Messages published in between were
   * lost (at most once): re-synchronise whatever state they carried here. If it throws, the
   * throw is printed.
   */
  readonly onConnectionChange?: (connected: boolean) => void;
}
// #endregion options

/**
 * What arrived on a channel was not a message of ours (not JSON, or not our envelope). It is
 * reported and dropped: one bad publisher cannot stop the others' messages.
 *
 * @example
 * ```ts
 * onError: (error) => {
 *   if (error instanceof MalformedMessageError) log.warn({ channel: error.channel }, error.reason);
 * };
 * ```
 */
export class MalformedMessageError extends Error {
  override readonly name = "MalformedMessageError";

  constructor(
    /** The Redis channel it arrived on. */
    readonly channel: string,
    /** What is wrong with it. */
    readonly reason: string,
    /** The first 200 characters of what arrived. */
    readonly raw: string,
  ) {
    super(`dropped a malformed message on ${JSON.stringify(channel)}: ${reason}`);
  }
}

/**
 * {@link RedisBroker.connect} could not reach Redis (refused, unknown host, timed out, refused
 * the password). The message names the URL without its password, and what went wrong.
 *
 * @example
 * ```ts
 * try {
 *   await RedisBroker.connect("redis://127.0.0.1:6379");
 * } catch (error) {
 *   if (error instanceof RedisConnectionError) console.error(error.message); // no stack trace
 * }
 * ```
 */
export class RedisConnectionError extends Error {
  override readonly name = "RedisConnectionError";

  constructor(
    /** The URL, its password masked. */
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(`cannot connect to Redis at ${url}: ${reason}`, options);
  }
}

/** `url` with its password (if any) masked, for messages. */
function safeUrl(url: URL): string {
  if (url.password === "") return url.href;
  const masked = new URL(url.href);
  masked.password = "***";
  return masked.href;
}

/** The broker was closed; it cannot subscribe or publish any more. */
export class BrokerClosedError extends Error {
  override readonly name = "BrokerClosedError";

  constructor(readonly operation: string) {
    super(`cannot ${operation}: the broker is closed`);
  }
}

/** What `subscribe()` resolves with: call it to unsubscribe (resolves `true` the first time). */
export interface RedisSubscription {
  (): Promise<boolean>;
  readonly pattern: string;
  readonly active: boolean;
}

// #region glob
const GLOB_SPECIAL = /[*?[\]\\]/g;

/**
 * The Redis `PSUBSCRIBE` glob that selects at least every topic `pattern` matches: literal
 * levels escaped, `+` as `*` and a final `#` as a `*` that may also swallow the level's dot. A
 * glob cannot say "one level" (its `*` crosses dots), so it over-selects; the local trie then
 * keeps exactly the MQTT matches.
 *
 * @throws InvalidTopicError if `pattern` is malformed.
 *
 * @example
 * ```ts
 * toRedisGlob("chat.+.message"); // "chat.*.message"
 * toRedisGlob("sport.#"); // "sport*": matches "sport" and "sport.tennis.score" (and "sports")
 * ```
 */
export function toRedisGlob(pattern: string): string {
  const levels = parsePattern(pattern);
  const multi = levels.at(-1) === "#";
  const body = (multi ? levels.slice(0, -1) : levels)
    .map((level) => (level === "+" ? "*" : level.replace(GLOB_SPECIAL, "\\$&")))
    .join(".");
  // "sport.#" → "sport*": the parent level itself, and anything below it.
  return multi ? `${body}*` : body;
}
// #endregion glob

/** The envelope on the wire: a message, and a version in case it ever changes. */
interface Envelope extends Message {
  readonly v: 1;
}

const ENVELOPE_KEYS = ["topic", "id", "correlationId", "depth", "timestamp"] as const;

function readEnvelope(channel: string, prefix: string, raw: string): Message {
  const fail = (reason: string) => new MalformedMessageError(channel, reason, raw.slice(0, 200));
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw fail("it is not JSON");
  }
  const e = data as Partial<Envelope> | null;
  if (typeof e !== "object" || e === null || e.v !== 1) throw fail("it is not a v1 envelope");
  for (const key of ENVELOPE_KEYS) {
    const want = key === "depth" || key === "timestamp" ? "number" : "string";
    if (typeof e[key] !== want) throw fail(`\`${key}\` is not a ${want}`);
  }
  if (`${prefix}${e.topic}` !== channel) throw fail("its topic is not its channel's");
  return Object.freeze({
    topic: e.topic as string,
    payload: e.payload,
    id: e.id as string,
    correlationId: e.correlationId as string,
    causationId: typeof e.causationId === "string" ? e.causationId : undefined,
    depth: e.depth as number,
    timestamp: e.timestamp as number,
  });
}

interface Entry {
  readonly pattern: string;
  readonly handler: Handler<never>;
  active: boolean;
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") &&
  value !== null &&
  typeof (value as { then?: unknown }).then === "function";

/** How many message ids a broker remembers to deliver each message once (see `#seen`). */
const SEEN_IDS = 1024;

function reportSafely(report: () => void): void {
  try {
    report();
  } catch (error) {
    console.error("RedisBroker: onError threw", error);
  }
}

/**
 * A publish/subscribe broker whose messages travel through Redis, so that handlers in any
 * process connected to the same Redis receive them. See the module's text for what differs from
 * the in-process {@link Broker}.
 *
 * @example
 * ```ts
 * const broker = await RedisBroker.connect<ChatTopics>("redis://127.0.0.1:6379");
 * await broker.subscribe("chat.+.message", (m) => show(m.payload));
 * await broker.publish("chat.lobby.message", { from: "ada", text: "hi" }); // 1 connection
 * await broker.close();
 * ```
 */
export class RedisBroker<T extends TopicMap = AnyTopics> {
  readonly maxDepth: number;
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #onError: NonNullable<RedisBrokerOptions["onError"]>;
  readonly #trie = new TopicTrie<Entry>();
  /**
   * The Redis channels (`c:` and the name) and globs (`p:`) subscribed to: how many local
   * subscriptions use each, and Redis's acknowledgement, which a second user awaits too.
   */
  readonly #redisSubscriptions = new Map<string, { users: number; ready: Promise<void> }>();
  /** Recent message ids: a message selected by two of our Redis subscriptions arrives twice. */
  readonly #seen = new Set<string>();
  /** The last connection error ioredis reported, to say why connect() failed. */
  #lastError: unknown;
  #closed = false;

  private constructor(url: string, options: RedisBrokerOptions) {
    const { prefix = "", onError = (error) => console.error(error), maxDepth = 32 } = options;
    if (typeof prefix !== "string") {
      throw new TypeError(`\`options.prefix\` must be a string, got ${describe(prefix)}`);
    }
    if (typeof onError !== "function") {
      throw new TypeError(`\`options.onError\` must be a function, got ${describe(onError)}`);
    }
    if (!(Number.isInteger(maxDepth) || maxDepth === Number.POSITIVE_INFINITY) || maxDepth < 1) {
      throw new RangeError(
        `\`options.maxDepth\` must be a positive integer or Infinity, got ${describe(maxDepth)}`,
      );
    }
    this.#prefix = prefix;
    this.#onError = onError;
    this.maxDepth = maxDepth;
    // The replies' legacy shapes are what this broker reads. The type argument below names the
    // mode too: inferred, it costs the compiler seconds comparing instantiations of Redis.
    const redis = {
      ...options.redis,
      lazyConnect: true,
      autoResubscribe: true,
      replyMapping: "legacy" as const,
    };
    this.#commands = new Redis<"legacy">(url, redis);
    this.#subscriber = new Redis<"legacy">(url, redis);
    // ioredis reports connection trouble as "error" events and retries by itself; without a
    // listener each one would be an uncaught exception.
    const remember = (error: unknown) => {
      this.#lastError = error;
    };
    this.#commands.on("error", remember);
    this.#subscriber.on("error", remember);
    const { onConnectionChange } = options;
    if (onConnectionChange !== undefined) this.#watchConnection(onConnectionChange);
    this.#subscriber.on("message", (channel: string, raw: string) => this.#receive(channel, raw));
    this.#subscriber.on("pmessage", (_glob: string, channel: string, raw: string) =>
      this.#receive(channel, raw),
    );
  }

  /**
   * Connects to the Redis at `url` (`redis://[:password@]host[:port][/db]`, or `rediss://` for
   * TLS) and resolves with a ready broker.
   *
   * @throws TypeError if `url` is not such a URL; TypeError or RangeError for bad options;
   *   rejects with a {@link RedisConnectionError} if Redis cannot be reached.
   */
  static async connect<T extends TopicMap = AnyTopics>(
    url: string,
    options: RedisBrokerOptions = {},
  ): Promise<RedisBroker<T>> {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (
      parsed === undefined ||
      (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") ||
      parsed.hostname === ""
    ) {
      throw new TypeError(
        `\`url\` must be a redis://host:port or rediss://host:port URL, got ${describe(url)}`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`\`options\` must be an object, got ${describe(options)}`);
    }
    const { onConnectionChange } = options;
    if (onConnectionChange !== undefined && typeof onConnectionChange !== "function") {
      throw new TypeError(
        `\`options.onConnectionChange\` must be a function, got ${describe(onConnectionChange)}`,
      );
    }
    const broker = new RedisBroker<T>(url, options);
    try {
      await Promise.all([broker.#commands.connect(), broker.#subscriber.connect()]);
    } catch (error) {
      broker.#commands.disconnect();
      broker.#subscriber.disconnect();
      // ioredis rejects with "Connection is closed."; the "error" event said why.
      throw new RedisConnectionError(safeUrl(parsed), { cause: broker.#lastError ?? error });
    }
    return broker;
  }

  /**
   * Tells `onConnectionChange` when the subscriber connection goes, and when Redis is usable
   * again: the subscriber's subscriptions renewed and the command connection ready to publish.
   * ioredis emits "ready" before it sends the renewed subscriptions, so a PING, answered after
   * them, marks the moment they are in force.
   */
  #watchConnection(onConnectionChange: (connected: boolean) => void): void {
    const tell = (connected: boolean) => reportSafely(() => onConnectionChange(connected));
    const commandsReady = (): Promise<unknown> =>
      this.#commands.status === "ready"
        ? Promise.resolve()
        : new Promise((resolve) => this.#commands.once("ready", resolve));
    let first = true;
    let connected = false;
    this.#subscriber.on("ready", () => {
      if (this.#closed) return;
      if (first) {
        first = false; // connect() resolves with this one: nothing to tell
        connected = true;
        return;
      }
      this.#subscriber
        .ping()
        .then(commandsReady)
        .then(
          () => {
            if (this.#closed || connected || this.#subscriber.status !== "ready") return;
            connected = true;
            tell(true);
          },
          () => {}, // lost again before the answer: the next "ready" tries again
        );
    });
    this.#subscriber.on("close", () => {
      if (this.#closed || !connected) return;
      connected = false;
      tell(false);
    });
  }

  /** How many local subscriptions are active. */
  get size(): number {
    return this.#trie.size;
  }

  // #region subscribe
  /**
   * Calls `handler` with every message published, by any broker on the same Redis and prefix,
   * on a topic that `pattern` matches (MQTT wildcards: `+` one level, `#` the rest). Resolves
   * once Redis has acknowledged the subscription: a message published after that reaches it.
   *
   * @throws InvalidTopicError if `pattern` is malformed; TypeError if `handler` is not a function.
   */
  async subscribe<P extends string>(
    pattern: KnownPattern<T, P>,
    handler: Handler<MessageFor<T, P>>,
  ): Promise<RedisSubscription> {
    if (this.#closed) throw new BrokerClosedError("subscribe");
    parsePattern(pattern);
    if (typeof handler !== "function") {
      throw new TypeError(`\`handler\` must be a function, got ${describe(handler)}`);
    }
    const entry: Entry = { pattern, handler: handler as Handler<never>, active: true };
    const key = isWildcardPattern(pattern)
      ? `p:${this.#prefix.replace(GLOB_SPECIAL, "\\$&")}${toRedisGlob(pattern)}`
      : `c:${this.#prefix}${pattern}`;
    this.#trie.add(pattern, entry);
    let shared = this.#redisSubscriptions.get(key);
    if (shared === undefined) {
      shared = { users: 0, ready: this.#redis("subscribe", key) };
      this.#redisSubscriptions.set(key, shared);
    }
    shared.users++;
    try {
      await shared.ready;
    } catch (error) {
      // Redis refused or went away: leave no half-made subscription behind.
      entry.active = false;
      this.#trie.delete(pattern, entry);
      if (--shared.users === 0) this.#redisSubscriptions.delete(key);
      throw error;
    }

    const unsubscribe = async (): Promise<boolean> => {
      if (!entry.active) return false;
      entry.active = false;
      this.#trie.delete(pattern, entry);
      const shared = this.#redisSubscriptions.get(key);
      if (shared !== undefined && --shared.users === 0) {
        this.#redisSubscriptions.delete(key);
        if (!this.#closed) await this.#redis("unsubscribe", key);
      }
      return true;
    };
    return Object.defineProperties(unsubscribe, {
      pattern: { value: pattern, enumerable: true },
      active: { get: () => entry.active, enumerable: true },
    }) as RedisSubscription;
  }

  async #redis(action: "subscribe" | "unsubscribe", key: string): Promise<void> {
    const name = key.slice(2);
    const sub = this.#subscriber;
    if (key.startsWith("p:")) {
      await (action === "subscribe" ? sub.psubscribe(name) : sub.punsubscribe(name));
    } else {
      await (action === "subscribe" ? sub.subscribe(name) : sub.unsubscribe(name));
    }
  }
  // #endregion subscribe

  // #region publish
  /**
   * Publishes `payload` on `topic` to every broker on the same Redis and prefix. A message
   * published while a handler runs joins that handler's chain (correlation id, causation id,
   * depth), here or in any other process.
   *
   * @returns How many broker connections Redis delivered it to (not handlers).
   * @throws InvalidTopicError if `topic` is malformed; RecursionLimitError past `maxDepth`.
   */
  async publish<K extends TopicOf<T>>(
    topic: K,
    payload: T[K],
    options: PublishOptions = {},
  ): Promise<number> {
    if (this.#closed) throw new BrokerClosedError("publish");
    parseTopic(topic);
    const { correlationId } = options;
    if (
      correlationId !== undefined &&
      (typeof correlationId !== "string" || correlationId === "")
    ) {
      throw new TypeError(
        `\`options.correlationId\` must be a non-empty string, got ${describe(correlationId)}`,
      );
    }
    const context = traceContext();
    const parent = context?.message;
    const depth = parent === undefined ? 0 : parent.depth + 1;
    if (depth > this.maxDepth) throw new RecursionLimitError(this.maxDepth, topic);
    const id = randomUUID();
    const envelope: Envelope = {
      v: 1,
      topic,
      payload,
      id,
      correlationId: correlationId ?? context?.correlationId ?? id,
      causationId: parent?.id,
      depth,
      timestamp: Date.now(),
    };
    return this.#commands.publish(`${this.#prefix}${topic}`, JSON.stringify(envelope));
  }
  // #endregion publish

  // #region receive
  #receive(channel: string, raw: string): void {
    let message: Message;
    try {
      message = readEnvelope(channel, this.#prefix, raw);
    } catch (error) {
      reportSafely(() => this.#onError(error as MalformedMessageError));
      return;
    }
    if (this.#seen.has(message.id)) return;
    this.#seen.add(message.id);
    if (this.#seen.size > SEEN_IDS) this.#seen.delete(this.#seen.values().next().value as string);

    const entries = this.#trie.match(message.topic); // the exact MQTT matches, a snapshot
    const failures: HandlerError[] = [];
    const pending: Promise<unknown>[] = [];
    runHandling(message, () => {
      for (const entry of entries) {
        if (!entry.active) continue; // unsubscribed by an earlier handler of this message
        const fail = (cause: unknown) =>
          new HandlerError(entry.handler, entry.pattern, message.topic, message.id, cause);
        try {
          const result = entry.handler(message as never) as unknown;
          if (isPromiseLike(result)) {
            pending.push(Promise.resolve(result).catch((e) => failures.push(fail(e))));
          }
        } catch (error) {
          failures.push(fail(error));
        }
      }
    });
    const report = () => {
      if (failures.length === 0) return;
      const error = new AggregateError(failures, `${failures.length} handler(s) failed`);
      reportSafely(() => this.#onError(error, message));
    };
    if (pending.length === 0) report();
    else void Promise.all(pending).then(report);
  }
  // #endregion receive

  /** Unsubscribes everything and closes both connections. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#trie.clear();
    this.#redisSubscriptions.clear();
    await Promise.allSettled([this.#subscriber.quit(), this.#commands.quit()]);
  }
}
