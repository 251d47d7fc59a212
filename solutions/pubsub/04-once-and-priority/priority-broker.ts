/**
 * A broker whose handlers can ask to go first (priority) or to hear only the next message
 * (once): an audit log must see an order before the handler that ships it; a "wait for the first
 * reply" handler must not fire twice.
 */

export type Handler = (payload: unknown) => void;

export interface SubscribeOptions {
  /** Higher runs first; equal priorities run in subscription order. A finite number; default 0. */
  readonly priority?: number;
  /** Unsubscribe before the first call, so the handler runs at most once. */
  readonly once?: boolean;
}

interface Subscription {
  readonly handler: Handler;
  readonly priority: number;
  readonly once: boolean;
  active: boolean;
}

export class PriorityBroker {
  /** Each topic's subscriptions, already in delivery order: publish() just walks the array. */
  readonly #topics = new Map<string, Subscription[]>();

  /** Subscribes `handler` to `topic`; returns a function that unsubscribes it (true, then false). */
  subscribe(topic: string, handler: Handler, options: SubscribeOptions = {}): () => boolean {
    const { priority = 0, once = false } = options;
    // NaN would make every comparison false and the order meaningless; Infinity is no better.
    if (!Number.isFinite(priority)) {
      throw new RangeError(`\`priority\` must be a finite number, got ${String(priority)}`);
    }
    const subscription: Subscription = { handler, priority, once, active: true };
    const list = this.#topics.get(topic) ?? [];
    // After every subscription of the same or a higher priority: ties keep subscription order.
    const at = list.findIndex((s) => s.priority < priority);
    this.#topics.set(topic, list.toSpliced(at === -1 ? list.length : at, 0, subscription));
    return () => this.#remove(topic, subscription);
  }

  /** Calls the handlers of `topic` in delivery order; returns how many were called. */
  publish(topic: string, payload: unknown): number {
    const list = this.#topics.get(topic);
    if (list === undefined) return 0;
    let called = 0;
    for (const subscription of list) {
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
    // The topic has its list: this subscription is in it until now.
    const rest = (this.#topics.get(topic) as Subscription[]).filter((s) => s !== subscription);
    this.#topics.set(topic, rest);
    return true;
  }
}
