/**
 * Publish/subscribe: a typed broker with MQTT wildcards matched through a trie, anchored RegExp
 * patterns, priorities, `once`, decorator-registered handlers, tracing ids carried across
 * `await`s, and a bridge from model lifecycle observers to topics.
 *
 * @example
 * ```ts
 * import { Broker } from "./patterns/pubsub";
 * const broker = new Broker<{ "chat.lobby": string }>();
 * broker.subscribe("chat.+", (m) => console.log(m.payload));
 * broker.publish("chat.lobby", "hello"); // 1
 * ```
 *
 * The chat rooms and their WebSocket server are in `chat/` (`ChatRooms`, `startChatServer`),
 * outside this module so that importing the broker never loads a network stack.
 *
 * @module
 */
export {
  Broker,
  type BrokerOptions,
  DEFAULT_MAX_DEPTH,
  type PublishOptions,
  type SubscribeOptions,
  type Subscription,
} from "./broker";
export { type SubscribeDecorator, subscribe, subscribeTo } from "./decorators";
export { HandlerError, RecursionLimitError } from "./errors";
export {
  type BridgeOptions,
  bridgeLifecycle,
  LIFECYCLE_EVENTS,
  type LifecycleEvent,
  LifecycleHooks,
  type LifecycleObserver,
  type LifecycleSource,
  type ModelTopics,
  type TopicPublisher,
} from "./lifecycle-bridge";
export { BrokerMetrics } from "./metrics";
export {
  BrokerClosedError,
  MalformedMessageError,
  RedisBroker,
  type RedisBrokerOptions,
  RedisConnectionError,
  type RedisSubscription,
  toRedisGlob,
} from "./redis-broker";
export {
  anchored,
  InvalidTopicError,
  isWildcardPattern,
  LEVEL_SEPARATOR,
  MAX_LEVELS,
  MULTI_LEVEL_WILDCARD,
  parsePattern,
  parseTopic,
  SINGLE_LEVEL_WILDCARD,
  SYSTEM_PREFIX,
  topicMatches,
} from "./topics";
export { currentMessage, type TraceContext, withCorrelation } from "./tracing";
export { type Compare, type IsLive, TopicTrie } from "./trie";
export type {
  AnyTopics,
  Handler,
  KnownPattern,
  Levels,
  LevelsMatch,
  MatchingTopics,
  Message,
  MessageFor,
  MessageOf,
  TopicMap,
  TopicOf,
} from "./types";
