// Mistake: failures are collected, but the AggregateError holds the raw errors: a catch block
// cannot tell which handler failed, or on which topic. Caught by "is reported after the round
// as an AggregateError of HandlerErrors, in order".
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
    const errors: unknown[] = [];
    let ran = 0;
    for (const subscription of this.#topics.get(topic) ?? []) {
      if (!subscription.active) continue;
      ran++;
      try {
        subscription.handler(payload);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} handlers failed`);
    return ran;
  }
}
