// Mistake: publish() walks its snapshot without checking whether a subscription was cancelled
// meanwhile, so a handler unsubscribed by an earlier one in the same round is still called and
// counted. Caught by "skips, and does not count, a handler unsubscribed by an earlier one in the
// same round".
// Hint: a snapshot keeps the round stable, but it also remembers subscriptions that have ended.
/**
 * A broker checked by the compiler: a topic map type says which topics exist and what each one
 * carries, so an unknown topic or a wrong payload is a compile error, not a 3 a.m. surprise.
 */

/** A topic map: topic name → payload type. An `interface` or a `type` literal. */
// `object`, not `Record<string, unknown>`: an interface has no index signature, so it would not
// satisfy a Record constraint.
export type TopicMap = object;

/** One subscription, stored without its payload type: the map holds every topic's handlers. */
interface Subscription {
  readonly handler: (payload: never) => void;
  /** Turned false by unsubscribing, so a publish under way skips it (step 1's rule). */
  active: boolean;
}

export class TypedBroker<T extends TopicMap> {
  readonly #subscriptions = new Map<string, Subscription[]>();

  /** Calls `handler` with each payload published on `topic`; returns an unsubscribe function. */
  subscribe<K extends keyof T & string>(topic: K, handler: (payload: T[K]) => void): () => boolean {
    // `K` ties the handler to its topic on the way in; inside, the payload type is forgotten.
    const subscription: Subscription = { handler, active: true };
    this.#subscriptions.set(topic, [...(this.#subscriptions.get(topic) ?? []), subscription]);
    return () => {
      if (!subscription.active) return false;
      subscription.active = false;
      // A new array, not splice(): a publish iterating the old one must not see it move.
      this.#subscriptions.set(
        topic,
        (this.#subscriptions.get(topic) ?? []).filter((s) => s !== subscription),
      );
      return true;
    };
  }

  /** Calls every handler of `topic` with `payload`; returns how many were called. */
  publish<K extends keyof T & string>(topic: K, payload: T[K]): number {
    let called = 0;
    for (const subscription of this.#subscriptions.get(topic) ?? []) {
      called++;
      subscription.handler(payload as never);
    }
    return called;
  }
}
