// Approach: A store typed per topic (a mapped type), so no payload type is forgotten
//
// - Gains: the store's type is `{ [K in keyof T]?: Subscription<T[K]>[] }`: reading it with a
//   topic `K` gives that topic's handlers with their own payload type, so publish() calls them
//   without the answer key's `as never` cast. The compiler checks the inside, not only the edges.
// - Costs: a `Map<keyof T, …>` cannot tie each value's type to its key, so the store is an object,
//   and an object must be made without a prototype (`Object.create(null)`) or a topic named
//   "constructor" would find Object's. The type is harder to read than a Map of erased handlers.

// The given code is the answer key's; what follows is this approach's own.
import type { TopicMap } from "../typed-broker";

export type { TopicMap };

/** One subscription of a topic whose payload is `P`. */
interface Subscription<P> {
  readonly handler: (payload: P) => void;
  /** Turned false by unsubscribing, so a publish under way skips it. */
  active: boolean;
}

type Store<T> = { [K in keyof T]?: readonly Subscription<T[K]>[] };

export class TypedBroker<T extends TopicMap> {
  // No prototype: only the topics subscribed to are keys, "constructor" and "__proto__" included.
  readonly #store: Store<T> = Object.create(null);

  /** Calls `handler` with each payload published on `topic`; returns an unsubscribe function. */
  subscribe<K extends keyof T & string>(topic: K, handler: (payload: T[K]) => void): () => boolean {
    const subscription: Subscription<T[K]> = { handler, active: true };
    this.#store[topic] = [...(this.#store[topic] ?? []), subscription];
    return () => {
      if (!subscription.active) return false;
      subscription.active = false;
      // A new array: a publish iterating the old one must not see it move.
      this.#store[topic] = (this.#store[topic] ?? []).filter((s) => s !== subscription);
      return true;
    };
  }

  /** Calls every handler of `topic` with `payload`; returns how many were called. */
  publish<K extends keyof T & string>(topic: K, payload: T[K]): number {
    let called = 0;
    for (const subscription of this.#store[topic] ?? []) {
      if (!subscription.active) continue;
      called++;
      subscription.handler(payload); // typed: no cast
    }
    return called;
  }
}
