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

export class PriorityBroker {
  // TODO: keep each topic's subscriptions in delivery order: priority descending, then
  // subscription order. Remember which ones are `once`.

  /** Subscribes `handler` to `topic`; returns a function that unsubscribes it (true, then false). */
  subscribe(topic: string, handler: Handler, options: SubscribeOptions = {}): () => boolean {
    throw new Error(
      `TODO(pubsub/04): implement subscribe(${JSON.stringify(topic)}, ${typeof handler}, ${JSON.stringify(options)})`,
    );
  }

  /** Calls the handlers of `topic` in delivery order; returns how many were called. */
  publish(topic: string, payload: unknown): number {
    throw new Error(
      `TODO(pubsub/04): implement publish(${JSON.stringify(topic)}, ${typeof payload})`,
    );
  }
}
