/**
 * A broker that carries its messages through a Redis-like server, so that brokers in other
 * processes see them: each subscription pattern becomes a `PSUBSCRIBE` glob that may select too
 * much, every message that arrives is filtered again with the MQTT matcher, and a message selected
 * by several globs (or sent twice) reaches each matching handler once, by its id.
 */
// Given: the topic syntax of step 3, a plain MQTT matcher, and the transport's shape.

/** A topic or pattern that breaks the rules; `topic` is the offending string. */
export class InvalidTopicError extends Error {
  override readonly name = "InvalidTopicError";

  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`invalid topic or pattern ${JSON.stringify(topic)}: ${reason}`);
  }
}

/** The levels of a topic one may publish on; InvalidTopicError if malformed. */
export function parseTopic(topic: string): string[] {
  const levels = topic.split(".");
  if (levels.includes("")) throw new InvalidTopicError(topic, "empty level");
  if (/[+#]/.test(topic)) throw new InvalidTopicError(topic, "a wildcard in a published topic");
  return levels;
}

/** The levels of a subscription pattern (`+` one level, `#` the rest); InvalidTopicError if malformed. */
export function parsePattern(pattern: string): string[] {
  const levels = pattern.split(".");
  levels.forEach((level, i) => {
    if (level === "") throw new InvalidTopicError(pattern, "empty level");
    if (level === "#" && i !== levels.length - 1) {
      throw new InvalidTopicError(pattern, '"#" must be the last level');
    }
    if (level !== "+" && level !== "#" && /[+#]/.test(level)) {
      throw new InvalidTopicError(pattern, "a wildcard must be a whole level");
    }
  });
  return levels;
}

/** Whether MQTT `pattern` matches `topic` (both valid). */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split(".");
  const t = topic.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "#") return true;
    if (i === t.length || (p[i] !== "+" && p[i] !== t[i])) return false;
  }
  return p.length === t.length;
}

/** What a handler receives, and what travels on the wire as JSON. */
export interface Message {
  readonly id: string;
  readonly topic: string;
  readonly payload: unknown;
}

/** One connection to the server, with Redis's meaning for each command. */
export interface Connection {
  /** `PSUBSCRIBE glob`: messages on every channel the glob matches now reach this connection. */
  psubscribe(glob: string): void;
  /** `PUNSUBSCRIBE glob`: stop. Subscribing to one glob twice is still one subscription. */
  punsubscribe(glob: string): void;
  /** `PUBLISH channel data`: how many subscriptions (of every connection) received it. */
  publish(channel: string, data: string): number;
}

/** The server: `connect()` opens a connection whose messages arrive at `listener`, one call per matching glob. */
export interface Transport {
  connect(listener: (glob: string, channel: string, data: string) => void): Connection;
}

/** How many message ids a broker remembers, to drop a message it has already delivered. */
export const SEEN_IDS = 1024;

/**
 * The Redis glob that selects at least every topic `pattern` matches, and never a topic outside
 * the pattern's own text; literal levels escaped. InvalidTopicError if `pattern` is malformed.
 */
export function toRedisGlob(pattern: string): string {
  // TODO: parse the pattern, then turn its levels into one glob.
  throw new Error(`TODO(pubsub/07): implement toRedisGlob(${JSON.stringify(pattern)})`);
}

/** A broker whose messages travel through a transport, to every broker connected to it. */
export class TransportBroker {
  // TODO: one connection, opened in the constructor; the subscriptions; how many use each glob;
  // the ids already received.

  constructor(transport: Transport) {
    throw new Error(`TODO(pubsub/07): connect to the transport (${typeof transport})`);
  }

  /**
   * Calls `handler` with every message, from any broker on the transport, whose topic `pattern`
   * matches. Returns a function that unsubscribes (`true` the first time).
   */
  subscribe(pattern: string, handler: (message: Message) => void): () => boolean {
    throw new Error(
      `TODO(pubsub/07): implement subscribe(${JSON.stringify(pattern)}, ${typeof handler})`,
    );
  }

  /** Sends `payload` on `topic` with a new id; returns what the transport's PUBLISH returned. */
  publish(topic: string, payload: unknown): number {
    throw new Error(
      `TODO(pubsub/07): implement publish(${JSON.stringify(topic)}, ${typeof payload})`,
    );
  }
}
