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

/** One subscription: an object of its own, so two subscriptions of one handler stay distinct. */
interface Subscription {
  readonly handler: Handler;
  active: boolean;
}

export class TopicBroker {
  readonly #topics = new Map<string, Subscription[]>();

  /**
   * Calls `handler` with every payload published on `topic` (that exact name) until unsubscribed.
   * The same handler subscribed twice is called twice; each subscription ends on its own.
   */
  subscribe(topic: string, handler: Handler): Unsubscribe {
    const subscription: Subscription = { handler, active: true };
    const list = this.#topics.get(topic);
    this.#topics.set(topic, list ? [...list, subscription] : [subscription]);
    const unsubscribe = (): boolean => {
      if (!subscription.active) return false;
      subscription.active = false; // a round under way skips it from now on
      // A new array rather than splice(): a round iterating the old one must not see it move.
      // The topic has its list: this subscription is in it until now.
      const rest = (this.#topics.get(topic) as Subscription[]).filter((s) => s !== subscription);
      if (rest.length === 0) this.#topics.delete(topic);
      else this.#topics.set(topic, rest);
      return true;
    };
    return Object.assign(unsubscribe, { [Symbol.dispose]: unsubscribe });
  }

  /**
   * Calls every handler of `topic` with `payload`, in subscription order; returns how many ran.
   * Every handler runs even if some throw; then an AggregateError of HandlerErrors is thrown.
   */
  publish(topic: string, payload: unknown): number {
    const list = this.#topics.get(topic); // this round's snapshot: the array never changes
    if (list === undefined) return 0;
    const failures: HandlerError[] = [];
    let ran = 0;
    for (const subscription of list) {
      if (!subscription.active) continue; // unsubscribed earlier in this round
      ran++;
      const { handler } = subscription;
      try {
        handler(payload);
      } catch (error) {
        failures.push(new HandlerError(handler, topic, error));
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
