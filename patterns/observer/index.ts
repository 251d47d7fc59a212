/**
 * The Observer pattern, synchronous: a typed, exception-safe {@link Subject}; typed, immutable
 * notifications; and lifecycle observers with veto on a {@link Repository}.
 *
 * @example
 * ```ts
 * import { createNotification, Subject } from "./patterns/observer";
 *
 * const weather = new Subject<ReturnType<typeof createNotification<"temperature", number>>>();
 * weather.attach((n) => console.log(`${n.event}: ${n.payload} °C`));
 * weather.notify(createNotification("temperature", 23.5));
 * ```
 *
 * @module
 */
export {
  type CompletedEvent,
  type LifecycleEvent,
  type Model,
  type ModelClass,
  type ModelObserver,
  type ObserveOptions,
  Repository,
  type VetoableEvent,
  VetoError,
} from "./lifecycle";
export {
  createNotification,
  type Immutable,
  type Notification,
  type NotificationOf,
  type NotificationOptions,
  type NotifierOptions,
  notifier,
} from "./notification";
export {
  type AttachOptions,
  DEFAULT_MAX_DEPTH,
  type Observer,
  ObserverError,
  type ObserverFunction,
  type ObserverObject,
  RecursionLimitError,
  Subject,
  type SubjectOptions,
} from "./subject";
