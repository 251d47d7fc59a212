// Mistake: causationId is copied from the parent's correlationId. For a direct child of the
// first message the two are equal, so simple tests pass; the third message of a chain names the
// first one as its cause instead of the second. Caught by "keeps a chain of three together".
/**
 * A broker that makes chains of events traceable: every message has an id and a correlation id,
 * and a message published while a handler runs (even after an `await`) joins that handler's
 * chain. Log the correlation id and one search finds everything one request caused.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** The envelope every handler receives. */
export interface Message<P = unknown> {
  readonly topic: string;
  readonly payload: P;
  /** Unique to this message. */
  readonly id: string;
  /** The chain's id: the first message's own id, inherited by every message published from it. */
  readonly correlationId: string;
  /** The id of the message whose handler published this one; undefined for a first message. */
  readonly causationId: string | undefined;
}

/** A handler may be async: the broker does not wait for it. */
export type Handler = (message: Message) => unknown;

/**
 * The message being handled. `run()` scopes it to the handlers' calls *and* to everything they
 * continue later (after an `await`, in a timer they set): Node carries the store along with the
 * asynchronous context. A plain variable would be reset, or overwritten, by then.
 */
const handling = new AsyncLocalStorage<Message>();

/** One subscription: a handler subscribed twice is two of these, unsubscribed one at a time. */
interface Subscription {
  readonly handler: Handler;
}

export class TracingBroker {
  readonly #topics = new Map<string, readonly Subscription[]>();

  /**
   * Calls `handler` with every message published on `topic`; returns an unsubscribe function,
   * which removes this subscription only (as in step 1), not every copy of the handler.
   */
  subscribe(topic: string, handler: Handler): () => void {
    const subscription: Subscription = { handler };
    this.#topics.set(topic, [...(this.#topics.get(topic) ?? []), subscription]);
    return () => {
      this.#topics.set(
        topic,
        (this.#topics.get(topic) ?? []).filter((s) => s !== subscription),
      );
    };
  }

  /**
   * Wraps `payload` in a frozen Message (a new id; correlation and causation from the message
   * being handled, if any) and calls every handler of `topic` with it. Returns how many.
   */
  publish(topic: string, payload: unknown): number {
    const parent = handling.getStore();
    const id = randomUUID();
    const message: Message = Object.freeze({
      topic,
      payload,
      id,
      correlationId: parent?.correlationId ?? id,
      causationId: parent?.correlationId,
    });
    const subscriptions = this.#topics.get(topic) ?? [];
    handling.run(message, () => {
      for (const { handler } of subscriptions) handler(message);
    });
    return subscriptions.length;
  }
}
