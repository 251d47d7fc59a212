// Approach: A Set of subscriptions per topic: membership is the live flag
//
// - Gains: each topic's subscriptions are a Set of small objects (one per subscribe, so one
//   handler subscribed twice is two members). `delete()` answers the unsubscribe function's
//   true-then-false by itself, and "still subscribed?" is `has()`: no `active` flag to keep in
//   step with the list.
// - Costs: each publish copies the topic's Set to get a snapshot, where the answer key's
//   copy-on-write pays on subscribe and unsubscribe instead; brokers publish far more often than
//   they subscribe, so the answer key's trade is usually the better one for speed.

// The given code is the answer key's; what follows is this approach's own.
import type { Handler, Unsubscribe } from "../broker";
import { HandlerError } from "../broker";

export type { Handler, Unsubscribe };
export { HandlerError };

export class TopicBroker {
  readonly #topics = new Map<string, Set<{ readonly handler: Handler }>>();

  /**
   * Calls `handler` with every payload published on `topic` (that exact name) until unsubscribed.
   * The same handler subscribed twice is called twice; each subscription ends on its own.
   */
  subscribe(topic: string, handler: Handler): Unsubscribe {
    const subscription = { handler };
    let members = this.#topics.get(topic);
    if (members === undefined) {
      members = new Set();
      this.#topics.set(topic, members);
    }
    members.add(subscription);
    const unsubscribe = (): boolean => {
      const current = this.#topics.get(topic);
      if (!current?.delete(subscription)) return false;
      if (current.size === 0) this.#topics.delete(topic);
      return true;
    };
    return Object.assign(unsubscribe, { [Symbol.dispose]: unsubscribe });
  }

  /**
   * Calls every handler of `topic` with `payload`, in subscription order; returns how many ran.
   * Every handler runs even if some throw; then an AggregateError of HandlerErrors is thrown.
   */
  publish(topic: string, payload: unknown): number {
    const members = this.#topics.get(topic);
    if (members === undefined) return 0;
    const failures: HandlerError[] = [];
    let ran = 0;
    // A copy: subscriptions added during the round wait for the next one.
    for (const subscription of [...members]) {
      // Unsubscribed earlier in this round (the topic's Set may even have been replaced).
      if (!this.#topics.get(topic)?.has(subscription)) continue;
      ran++;
      try {
        subscription.handler(payload);
      } catch (error) {
        failures.push(new HandlerError(subscription.handler, topic, error));
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${failures.length} of ${ran} handlers of "${topic}" failed`,
      );
    }
    return ran;
  }
}
