/**
 * A bridge from a model's lifecycle observers to broker topics: `user` created becomes a message
 * on `model.user.created`. This is django-event-system's `SignalToEvent`: code that wants to react
 * to every model's updates subscribes to `model.+.updated` once, instead of connecting a receiver
 * to each model's signal.
 *
 * @module
 */
import { makeSubscription, type Subscription } from "./broker";
import { describe, InvalidTopicError, parseTopic } from "./topics";

// #region source
/**
 * The past-tense lifecycle events the bridge forwards. The "-ing" events (`creating`, `deleting`)
 * are not forwarded: their observers may veto the change, and a broker, which cannot tell who
 * will hear a message or wait for an answer, is the wrong tool for a veto.
 *
 * @example
 * ```ts
 * const event: LifecycleEvent = "created";
 * ```
 */
export type LifecycleEvent = "created" | "updated" | "saved" | "deleted";

/**
 * Every {@link LifecycleEvent}: `saved` follows both `created` and `updated`, as in Laravel and
 * in the observer lesson's `Repository`.
 *
 * @example
 * ```ts
 * LIFECYCLE_EVENTS.includes("deleted"); // true
 * ```
 */
export const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = [
  "created",
  "updated",
  "saved",
  "deleted",
];

/**
 * A lifecycle observer, as Laravel's model observers and the observer lesson's are: an object
 * with one optional method per event, called with the model.
 *
 * @example
 * ```ts
 * const audit: LifecycleObserver<User> = { deleted: (user) => console.log("deleted", user.id) };
 * ```
 */
export type LifecycleObserver<M> = { readonly [E in LifecycleEvent]?: (model: M) => void };

/**
 * What the bridge needs from a model class: a way to attach a lifecycle observer, which returns
 * a way to detach it. Any model layer fits with a one-line adapter, the observer lesson's
 * `Repository` for one.
 *
 * @example
 * ```ts
 * const users: LifecycleSource<User> = { observe: (observer) => repository.observe(User, observer) };
 * ```
 */
export interface LifecycleSource<M> {
  /** Attaches `observer` to the model's lifecycle; returns a function that detaches it. */
  observe(observer: LifecycleObserver<M>): () => unknown;
}

/**
 * The topics a bridged model publishes on: `model.user.created` and so on, each with the model
 * as payload. Put them in a broker's topic map.
 *
 * @example
 * ```ts
 * type Topics = ModelTopics<"user", User> & ModelTopics<"order", Order>;
 * // { "model.user.created": User; "model.user.updated": User; … "model.order.deleted": Order }
 * ```
 */
export type ModelTopics<Name extends string, M, Prefix extends string = "model"> = {
  [E in LifecycleEvent as `${Prefix}.${Name}.${E}`]: M;
};
// #endregion source

/**
 * A minimal lifecycle emitter: observers attach with `observe()`, a repository calls `emit()`
 * after each change. A stand-in for a real model layer (the observer lesson builds one with
 * vetoes); every observer runs even if one throws, and the failures are thrown together.
 *
 * @example
 * ```ts
 * const hooks = new LifecycleHooks<User>();
 * hooks.observe({ created: (user) => console.log("welcome", user.name) });
 * hooks.emit("created", { id: "u1", name: "Ada" });
 * ```
 */
export class LifecycleHooks<M> implements LifecycleSource<M> {
  readonly #observers = new Set<LifecycleObserver<M>>();

  /**
   * Attaches `observer`; returns a function that detaches it.
   *
   * @example
   * ```ts
   * const detach = hooks.observe({ updated: reindex });
   * detach();
   * ```
   */
  observe(observer: LifecycleObserver<M>): () => boolean {
    if (typeof observer !== "object" || observer === null) {
      throw new TypeError(`\`observer\` must be an object, got ${describe(observer)}`);
    }
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /**
   * Tells every observer that `event` happened to `model`.
   *
   * @throws AggregateError of the observers' errors, after all have run.
   *
   * @example
   * ```ts
   * hooks.emit("deleted", user);
   * ```
   */
  emit(event: LifecycleEvent, model: M): void {
    const errors: unknown[] = [];
    for (const observer of [...this.#observers]) {
      try {
        observer[event]?.(model);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0)
      throw new AggregateError(errors, `${errors.length} observers of "${event}" failed`);
  }
}

/**
 * What the bridge publishes to: a broker, or anything with its `publish()`.
 *
 * @example
 * ```ts
 * const publisher: TopicPublisher<User> = new Broker<ModelTopics<"user", User>>();
 * ```
 */
export interface TopicPublisher<M> {
  /** Publishes `payload` on `topic`; what it returns is ignored. */
  publish(topic: string, payload: M): unknown;
}

/**
 * Options of {@link bridgeLifecycle}.
 *
 * @example
 * ```ts
 * bridgeLifecycle(users, broker, "user", { events: ["created"], onError: logger.error });
 * ```
 */
export interface BridgeOptions {
  /** Which events to forward. Default: all of {@link LIFECYCLE_EVENTS}. */
  readonly events?: readonly LifecycleEvent[];
  /** The first topic level. Default `"model"`. */
  readonly prefix?: string;
  /**
   * Receives what a publish threw (an `AggregateError` of the failing handlers). The change has
   * already happened when an "-ed" event fires, so a failing subscriber must not fail it: the
   * bridge never throws into the model layer. Default: `console.error`.
   */
  readonly onError?: (error: unknown) => void;
}

// #region bridge
/**
 * Forwards a model's lifecycle events to `publisher`: `created` becomes a message on
 * `model.<name>.created` with the model as payload, and so on.
 *
 * @returns A subscription that detaches the bridge.
 * @throws InvalidTopicError if `name` or `prefix` would not make a valid topic level (empty,
 *   a dot, a wildcard); TypeError if `events` lists an unknown event.
 *
 * @example
 * ```ts
 * using bridge = bridgeLifecycle(userHooks, broker, "user");
 * broker.subscribe("model.+.created", (m) => audit(m.topic, m.payload));
 * users.create({ id: "u1" }); // audit("model.user.created", { id: "u1" })
 * ```
 */
export function bridgeLifecycle<M>(
  source: LifecycleSource<M>,
  publisher: TopicPublisher<M>,
  name: string,
  options: BridgeOptions = {},
): Subscription {
  const { events = LIFECYCLE_EVENTS, prefix = "model", onError = console.error } = options;
  for (const [argument, level] of [
    ["options.prefix", prefix],
    ["name", name],
  ] as const) {
    if (parseTopic(level, argument).length !== 1) {
      throw new InvalidTopicError(level, `\`${argument}\` must be a single level, without "."`);
    }
  }
  for (const event of events) {
    if (!LIFECYCLE_EVENTS.includes(event)) {
      throw new TypeError(`\`options.events\` has an unknown event ${describe(event)}`);
    }
  }
  const observer: { [E in LifecycleEvent]?: (model: M) => void } = {};
  for (const event of events) {
    const topic = `${prefix}.${name}.${event}`;
    observer[event] = (model) => {
      try {
        publisher.publish(topic, model);
      } catch (error) {
        onError(error);
      }
    };
  }
  let active = true;
  const detach = source.observe(observer);
  return makeSubscription(
    `${prefix}.${name}.{${events.join(",")}}`,
    () => active,
    () => {
      if (!active) return false;
      active = false;
      detach();
      return true;
    },
  );
}
// #endregion bridge
