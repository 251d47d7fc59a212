// Mistake: publish() walks the live array by index while unsubscribe() splices it. A handler
// that unsubscribes itself shifts the next one into its slot, and the loop steps over it.
// Caught by "still calls the next handler when a handler unsubscribes itself".
import { type Handler, HandlerError, type Unsubscribe } from "../broker";

export { type Handler, HandlerError, type Unsubscribe } from "../broker";

export class TopicBroker {
  readonly #topics = new Map<string, Handler[]>();

  subscribe(topic: string, handler: Handler): Unsubscribe {
    const list = this.#topics.get(topic) ?? [];
    this.#topics.set(topic, list);
    const entry = (payload: unknown) => handler(payload);
    list.push(entry);
    const unsubscribe = (): boolean => {
      const i = list.indexOf(entry);
      if (i === -1) return false;
      list.splice(i, 1);
      return true;
    };
    return Object.assign(unsubscribe, { [Symbol.dispose]: unsubscribe });
  }

  publish(topic: string, payload: unknown): number {
    const list = this.#topics.get(topic) ?? [];
    const failures: HandlerError[] = [];
    let ran = 0;
    for (let i = 0; i < list.length; i++) {
      const handler = list[i] as Handler;
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
