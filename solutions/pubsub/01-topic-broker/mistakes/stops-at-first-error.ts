// Mistake: the source's EventPublisher.publish, ported: no try/catch around each handler, so
// the first one that throws stops the round and the handlers after it never hear the news.
// Caught by "does not stop the handlers after it" and the AggregateError test.
import type { Handler, Unsubscribe } from "../broker";

export { type Handler, HandlerError, type Unsubscribe } from "../broker";

export class TopicBroker {
  readonly #topics = new Map<string, Array<{ handler: Handler; active: boolean }>>();

  subscribe(topic: string, handler: Handler): Unsubscribe {
    const subscription = { handler, active: true };
    this.#topics.set(topic, [...(this.#topics.get(topic) ?? []), subscription]);
    const unsubscribe = (): boolean => {
      if (!subscription.active) return false;
      subscription.active = false;
      this.#topics.set(
        topic,
        (this.#topics.get(topic) ?? []).filter((s) => s !== subscription),
      );
      return true;
    };
    return Object.assign(unsubscribe, { [Symbol.dispose]: unsubscribe });
  }

  publish(topic: string, payload: unknown): number {
    let ran = 0;
    for (const subscription of this.#topics.get(topic) ?? []) {
      if (!subscription.active) continue;
      ran++;
      subscription.handler(payload);
    }
    return ran;
  }
}
