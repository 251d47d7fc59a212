// Mistake: publish() iterates a snapshot (good) but never asks whether a subscription is still
// active, so a handler unsubscribed by an earlier one in the same round is called anyway.
// Caught by "does not call, or count, a later handler that an earlier one unsubscribed".
import { type Handler, HandlerError, type Unsubscribe } from "../broker";

export { type Handler, HandlerError, type Unsubscribe } from "../broker";

export class TopicBroker {
  readonly #topics = new Map<string, Array<{ handler: Handler }>>();

  subscribe(topic: string, handler: Handler): Unsubscribe {
    const subscription = { handler };
    this.#topics.set(topic, [...(this.#topics.get(topic) ?? []), subscription]);
    const unsubscribe = (): boolean => {
      const list = this.#topics.get(topic) ?? [];
      if (!list.includes(subscription)) return false;
      this.#topics.set(
        topic,
        list.filter((s) => s !== subscription),
      );
      return true;
    };
    return Object.assign(unsubscribe, { [Symbol.dispose]: unsubscribe });
  }

  publish(topic: string, payload: unknown): number {
    const failures: HandlerError[] = [];
    let ran = 0;
    for (const { handler } of [...(this.#topics.get(topic) ?? [])]) {
      ran++;
      try {
        handler(payload);
      } catch (error) {
        failures.push(new HandlerError(handler, topic, error));
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} failed`);
    return ran;
  }
}
