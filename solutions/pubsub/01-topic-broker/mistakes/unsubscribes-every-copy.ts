// Mistake: the source's `unsubscribe(event_type, callback)`, by handler identity: the returned
// function filters out every subscription of that handler, so a handler subscribed twice loses
// both at once. Caught by "ends one subscription of a handler subscribed twice, not both".
import { type Handler, HandlerError, type Unsubscribe } from "../broker";

export { type Handler, HandlerError, type Unsubscribe } from "../broker";

export class TopicBroker {
  readonly #topics = new Map<string, Handler[]>();

  subscribe(topic: string, handler: Handler): Unsubscribe {
    this.#topics.set(topic, [...(this.#topics.get(topic) ?? []), handler]);
    const unsubscribe = (): boolean => {
      const list = this.#topics.get(topic) ?? [];
      const rest = list.filter((h) => h !== handler);
      this.#topics.set(topic, rest);
      return rest.length !== list.length;
    };
    return Object.assign(unsubscribe, { [Symbol.dispose]: unsubscribe });
  }

  publish(topic: string, payload: unknown): number {
    const failures: HandlerError[] = [];
    let ran = 0;
    for (const handler of this.#topics.get(topic) ?? []) {
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
