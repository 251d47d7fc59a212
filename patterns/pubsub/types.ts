/**
 * The types of a typed broker: the topic map, the message envelope, and the type-level wildcard
 * matching that gives a handler of `user.+` the union of the `user.*` messages.
 *
 * @module
 */

// #region topic-map
/**
 * A topic map: each key is a topic, its value the payload type published on it. Declare one with
 * `type` (an `interface` works too). A key may be a template literal type (`` `room.${string}` ``)
 * for a family of topics that share a payload.
 *
 * @example
 * ```ts
 * type Topics = {
 *   "model.user.created": { id: string; email: string };
 *   "model.user.deleted": { id: string };
 *   [room: `chat.${string}`]: { from: string; text: string };
 * };
 * const broker = new Broker<Topics>();
 * ```
 */
export type TopicMap = object;

/**
 * The topics of a topic map: its string keys.
 *
 * @example
 * ```ts
 * type T = TopicOf<{ "a.b": number; "a.c": string }>; // "a.b" | "a.c"
 * ```
 */
export type TopicOf<T extends TopicMap> = keyof T & string;

/**
 * The topic map of a broker that checks nothing: any topic, any payload.
 *
 * @example
 * ```ts
 * const loose = new Broker<AnyTopics>(); // same as new Broker()
 * ```
 */
export type AnyTopics = Record<string, unknown>;
// #endregion topic-map

// #region message
/**
 * What a handler receives: the payload in an envelope that says where it was published and how
 * it relates to other messages. Frozen: every handler of a round shares it.
 *
 * @example
 * ```ts
 * broker.subscribe("model.user.created", (message) => {
 *   log.info({ id: message.id, correlation: message.correlationId }, message.topic);
 *   sendWelcomeEmail(message.payload.email);
 * });
 * ```
 */
export interface Message<K extends string = string, P = unknown> {
  /** The topic it was published on (never a pattern). */
  readonly topic: K;
  readonly payload: P;
  /** Unique to this message. */
  readonly id: string;
  /**
   * Shared by every message of one chain of events: a message published while a handler of
   * another runs (even after an `await`) inherits it; the first message of a chain uses its own
   * `id`, unless the publisher gives one (an incoming request's id, say).
   */
  readonly correlationId: string;
  /** The `id` of the message whose handler published this one, if any. */
  readonly causationId: string | undefined;
  /** How many messages precede this one in its chain: 0 for a first message. */
  readonly depth: number;
  /** When it was published, in milliseconds since the epoch (`Date.now()`), per message. */
  readonly timestamp: number;
}

/**
 * A handler: called with each matching message. It may return a promise: the broker does not
 * wait for it, but reports its rejection on the error channel (`onError`).
 *
 * @example
 * ```ts
 * const audit: Handler<Message<"model.user.deleted", { id: string }>> = async (m) => {
 *   await db.insert("audit", { user: m.payload.id, at: m.timestamp });
 * };
 * ```
 */
export type Handler<M = Message> = (message: M) => unknown;
// #endregion message

// #region matching
/**
 * The levels of a topic or pattern type: `Levels<"a.b.c">` is `["a", "b", "c"]`.
 *
 * @example
 * ```ts
 * type L = Levels<"model.user.created">; // ["model", "user", "created"]
 * ```
 */
export type Levels<S extends string> = S extends `${infer Head}.${infer Rest}`
  ? [Head, ...Levels<Rest>]
  : [S];

/**
 * Whether pattern levels `P` match topic levels `L`, by MQTT's rules, at the type level: `true`
 * or `false`. A topic level that is a wide `string` (from a template literal key) matches any
 * pattern level.
 *
 * @example
 * ```ts
 * type Yes = LevelsMatch<["a", "#"], ["a"]>; // true: "#" matches the parent level
 * type No = LevelsMatch<["a", "+"], ["a", "b", "c"]>; // false: "+" is one level
 * ```
 */
export type LevelsMatch<P extends readonly string[], L extends readonly string[]> = P extends ["#"]
  ? true
  : P extends [infer PH, ...infer PR extends string[]]
    ? L extends [infer LH, ...infer LR extends string[]]
      ? PH extends "+"
        ? LevelsMatch<PR, LR>
        : PH extends LH
          ? LevelsMatch<PR, LR>
          : false
      : false
    : L extends []
      ? true
      : false;

/**
 * The topics of `T` that pattern `P` matches. For a map with a plain `string` key, every topic.
 *
 * @example
 * ```ts
 * type T = { "user.created": 1; "user.deleted": 2; "order.created": 3 };
 * type M = MatchingTopics<T, "user.+">; // "user.created" | "user.deleted"
 * ```
 */
export type MatchingTopics<T extends TopicMap, P extends string> =
  string extends TopicOf<T>
    ? TopicOf<T>
    : { [K in TopicOf<T>]: LevelsMatch<Levels<P>, Levels<K>> extends true ? K : never }[TopicOf<T>];

/**
 * The message a handler of pattern `P` receives: a union over the matching topics, discriminated
 * by `topic`, so narrowing on `message.topic` narrows the payload too.
 *
 * @example
 * ```ts
 * broker.subscribe("model.user.+", (m) => {
 *   if (m.topic === "model.user.deleted") m.payload; // the deleted payload only
 * });
 * ```
 */
export type MessageFor<T extends TopicMap, P extends string> = {
  [K in MatchingTopics<T, P>]: Message<K, T[K]>;
}[MatchingTopics<T, P>];

/**
 * Any message of a topic map: what a RegExp subscription receives.
 *
 * @example
 * ```ts
 * type M = MessageOf<{ a: 1; b: 2 }>; // Message<"a", 1> | Message<"b", 2>
 * ```
 */
export type MessageOf<T extends TopicMap> = { [K in TopicOf<T>]: Message<K, T[K]> }[TopicOf<T>];

/**
 * `P` itself if it matches at least one topic of `T`, otherwise a string that explains the
 * error, so that `subscribe("user.craeted", …)` fails to compile with a readable message.
 *
 * @example
 * ```ts
 * type Ok = KnownPattern<{ "a.b": 1 }, "a.+">; // "a.+"
 * type No = KnownPattern<{ "a.b": 1 }, "a.c">; // 'no topic of the topic map matches "a.c"'
 * ```
 */
export type KnownPattern<T extends TopicMap, P extends string> = [MatchingTopics<T, P>] extends [
  never,
]
  ? `no topic of the topic map matches "${P}"`
  : P;
// #endregion matching
