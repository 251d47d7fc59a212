// Mistake: topics are typed `string` "to stay flexible", with the payload looked up when the
// topic happens to be known: a typo is then simply another topic, with an `unknown` payload.
// Caught by "rejects a topic that is not in the topic map" (both of them).
import type { TopicMap } from "../typed-broker";

export type { TopicMap } from "../typed-broker";

type PayloadOf<T, K extends string> = K extends keyof T ? T[K] : unknown;

/** One subscription, stored without its payload type: the map holds every topic's handlers. */
interface Subscription {
  readonly handler: (payload: never) => void;
  /** Turned false by unsubscribing, so a publish under way skips it (step 1's rule). */
  active: boolean;
}

export class TypedBroker<T extends TopicMap> {
  readonly #subscriptions = new Map<string, Subscription[]>();

  /** Calls `handler` with each payload published on `topic`; returns an unsubscribe function. */
  subscribe<K extends string>(
    topic: K,
    handler: (payload: PayloadOf<T, K>) => void,
  ): () => boolean {
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
  publish<K extends string>(topic: K, payload: PayloadOf<T, K>): number {
    let called = 0;
    for (const subscription of this.#subscriptions.get(topic) ?? []) {
      if (!subscription.active) continue; // unsubscribed earlier in this round
      called++;
      subscription.handler(payload as never);
    }
    return called;
  }
}
