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
    const list = this.#subscriptions.get(topic);
    this.#subscriptions.set(topic, list ? [...list, subscription] : [subscription]);
    return () => {
      if (!subscription.active) return false;
      subscription.active = false;
      // A new array, not splice(): a publish iterating the old one must not see it move. The
      // topic has its list: this subscription is in it until now.
      const rest = (this.#subscriptions.get(topic) as Subscription[]).filter(
        (s) => s !== subscription,
      );
      this.#subscriptions.set(topic, rest);
      return true;
    };
  }

  /** Calls every handler of `topic` with `payload`; returns how many were called. */
  publish<K extends keyof T & string>(topic: K, payload: T[K]): number {
    const list = this.#subscriptions.get(topic);
    if (list === undefined) return 0;
    let called = 0;
    for (const subscription of list) {
      if (!subscription.active) continue; // unsubscribed earlier in this round
      called++;
      subscription.handler(payload as never);
    }
    return called;
  }
}
