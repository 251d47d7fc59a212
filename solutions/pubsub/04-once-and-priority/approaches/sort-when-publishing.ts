// Approach: Keep subscription order, sort by priority when publishing
//
// - Gains: subscribe() only appends, and the order rule is one comparator: `toSorted()` is
//   stable, so equal priorities stay in subscription order with no sequence numbers, and the
//   sorted copy doubles as the round's snapshot.
// - Costs: every publish sorts, O(n log n), where the answer key pays one search per subscribe
//   and publishes by walking the array. Publishing is the hot path of a broker, so this suits a
//   topic whose subscriptions change much more often than it is published to.

// The given code is the answer key's; what follows is this approach's own.
import type { Handler, SubscribeOptions } from "../priority-broker";

export type { Handler, SubscribeOptions };

interface Subscription {
  readonly handler: Handler;
  readonly priority: number;
  readonly once: boolean;
  active: boolean;
}

export class PriorityBroker {
  /** Each topic's subscriptions in subscription order; publish() sorts a copy by priority. */
  readonly #topics = new Map<string, Subscription[]>();

  /** Subscribes `handler` to `topic`; returns a function that unsubscribes it (true, then false). */
  subscribe(topic: string, handler: Handler, options: SubscribeOptions = {}): () => boolean {
    const { priority = 0, once = false } = options;
    // NaN would make every comparison false and the order meaningless; Infinity is no better.
    if (!Number.isFinite(priority)) {
      throw new RangeError(`\`priority\` must be a finite number, got ${String(priority)}`);
    }
    const subscription: Subscription = { handler, priority, once, active: true };
    // Appended: subscribing costs no search. A new array, so a round under way keeps its own.
    this.#topics.set(topic, [...(this.#topics.get(topic) ?? []), subscription]);
    return () => this.#remove(topic, subscription);
  }

  /** Calls the handlers of `topic` in delivery order; returns how many were called. */
  publish(topic: string, payload: unknown): number {
    let called = 0;
    // sort() is stable (since ES2019): equal priorities keep subscription order. toSorted()
    // sorts a copy, which is also this round's snapshot.
    const round = (this.#topics.get(topic) ?? []).toSorted((a, b) => b.priority - a.priority);
    for (const subscription of round) {
      if (!subscription.active) continue;
      // Before the call: if the handler publishes this topic again, it must not be reached.
      if (subscription.once) this.#remove(topic, subscription);
      called++;
      subscription.handler(payload);
    }
    return called;
  }

  #remove(topic: string, subscription: Subscription): boolean {
    if (!subscription.active) return false;
    subscription.active = false;
    const rest = (this.#topics.get(topic) ?? []).filter((s) => s !== subscription);
    this.#topics.set(topic, rest);
    return true;
  }
}
