// Mistake: the topic and the payload are typed separately: the payload may be any topic's
// (`T[keyof T]`), not the one of *this* topic. Caught by "rejects another topic's payload, even a
// valid one" and by the handler payload test.
import type { TopicMap } from "../typed-broker";

export type { TopicMap } from "../typed-broker";

/** One subscription, stored without its payload type: the map holds every topic's handlers. */
interface Subscription {
  readonly handler: (payload: never) => void;
  /** Turned false by unsubscribing, so a publish under way skips it (step 1's rule). */
  active: boolean;
}

export class TypedBroker<T extends TopicMap> {
  readonly #subscriptions = new Map<string, Subscription[]>();

  /** Calls `handler` with each payload published on `topic`; returns an unsubscribe function. */
  subscribe(topic: keyof T & string, handler: (payload: T[keyof T]) => void): () => boolean {
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
  publish(topic: keyof T & string, payload: T[keyof T]): number {
    let called = 0;
    for (const subscription of this.#subscriptions.get(topic) ?? []) {
      if (!subscription.active) continue; // unsubscribed earlier in this round
      called++;
      subscription.handler(payload as never);
    }
    return called;
  }
}
