// Mistake: the topic and the payload are typed separately: the payload may be any topic's
// (`T[keyof T]`), not the one of *this* topic. Caught by "rejects another topic's payload, even a
// valid one" and by the handler payload test.
import type { TopicMap } from "../typed-broker";

export type { TopicMap } from "../typed-broker";

export class TypedBroker<T extends TopicMap> {
  readonly #handlers = new Map<string, Array<(payload: T[keyof T]) => void>>();

  subscribe(topic: keyof T & string, handler: (payload: T[keyof T]) => void): () => boolean {
    this.#handlers.set(topic, [...(this.#handlers.get(topic) ?? []), handler]);
    return () => {
      const list = this.#handlers.get(topic) ?? [];
      this.#handlers.set(
        topic,
        list.filter((h) => h !== handler),
      );
      return list.includes(handler);
    };
  }

  publish(topic: keyof T & string, payload: T[keyof T]): number {
    const list = this.#handlers.get(topic) ?? [];
    for (const handler of list) handler(payload);
    return list.length;
  }
}
