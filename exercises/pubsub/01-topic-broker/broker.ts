/**
 * A topic broker: handlers subscribe to a topic name, publishers publish on it, and neither knows
 * the other. `publish()` calls every handler of that exact topic and returns how many ran.
 */

/** What `subscribe()` returns: call it, or let a `using` declaration dispose it, to unsubscribe. */
export type Unsubscribe = (() => boolean) & Disposable;

/** A handler: called with each payload published on its topic. */
export type Handler = (payload: unknown) => void;

/** One handler's failure during a publish; the original error is `cause`. */
export class HandlerError extends Error {
  override readonly name = "HandlerError";

  constructor(
    readonly handler: Handler,
    readonly topic: string,
    override readonly cause: unknown,
  ) {
    super(
      `a handler of "${topic}" failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

export class TopicBroker {
  /**
   * Calls `handler` with every payload published on `topic` (that exact name) until unsubscribed.
   * The same handler subscribed twice is called twice; each subscription ends on its own.
   */
  subscribe(topic: string, handler: Handler): Unsubscribe {
    // TODO: remember the subscription under its topic, and return a function (with a
    // [Symbol.dispose] method too) that removes it and returns true, then false on later calls.
    throw new Error(
      `TODO(pubsub/01): implement subscribe(${JSON.stringify(topic)}, ${typeof handler})`,
    );
  }

  /**
   * Calls every handler of `topic` with `payload`, in subscription order; returns how many ran.
   * Every handler runs even if some throw; then an AggregateError of HandlerErrors is thrown.
   */
  publish(topic: string, payload: unknown): number {
    // TODO: run each handler subscribed to `topic` at the start of this call and still
    // subscribed when its turn comes; collect failures and throw them together at the end.
    throw new Error(
      `TODO(pubsub/01): implement publish(${JSON.stringify(topic)}, ${typeof payload})`,
    );
  }
}
