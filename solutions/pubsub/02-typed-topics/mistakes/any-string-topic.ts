// Mistake: topics are typed `string` "to stay flexible", with the payload looked up when the
// topic happens to be known: a typo is then simply another topic, with an `unknown` payload.
// Caught by "rejects a topic that is not in the topic map" (both of them).
import type { TopicMap } from "../typed-broker";

export type { TopicMap } from "../typed-broker";

type PayloadOf<T, K extends string> = K extends keyof T ? T[K] : unknown;

export class TypedBroker<T extends TopicMap> {
  readonly #handlers = new Map<string, Array<(payload: never) => void>>();

  subscribe<K extends string>(
    topic: K,
    handler: (payload: PayloadOf<T, K>) => void,
  ): () => boolean {
    const entry = (payload: never) => handler(payload);
    this.#handlers.set(topic, [...(this.#handlers.get(topic) ?? []), entry]);
    return () => {
      const list = this.#handlers.get(topic) ?? [];
      this.#handlers.set(
        topic,
        list.filter((h) => h !== entry),
      );
      return list.includes(entry);
    };
  }

  publish<K extends string>(topic: K, payload: PayloadOf<T, K>): number {
    const list = this.#handlers.get(topic) ?? [];
    for (const handler of list) handler(payload as never);
    return list.length;
  }
}
