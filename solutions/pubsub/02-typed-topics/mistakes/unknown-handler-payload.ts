// Mistake: publish() is typed, but handlers get `any`, so a handler may claim any payload type it
// likes and the compiler believes it. Caught by "gives a handler the payload type of its topic"
// and "rejects a handler that expects another topic's payload".
import type { TopicMap } from "../typed-broker";

export type { TopicMap } from "../typed-broker";

export class TypedBroker<T extends TopicMap> {
  readonly #handlers = new Map<string, Array<(payload: unknown) => void>>();

  // biome-ignore lint/suspicious/noExplicitAny: the mistake is exactly this loose handler type
  subscribe(topic: keyof T & string, handler: (payload: any) => void): () => boolean {
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

  publish<K extends keyof T & string>(topic: K, payload: T[K]): number {
    const list = this.#handlers.get(topic) ?? [];
    for (const handler of list) handler(payload);
    return list.length;
  }
}
