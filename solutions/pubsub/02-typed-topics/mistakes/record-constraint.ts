// Mistake: `T extends Record<string, unknown>` looks like the natural constraint for a map of
// topics, but an interface has no index signature and does not satisfy it: `new
// TypedBroker<Events>()` fails to compile. Caught by "may be an interface, not only a type literal".
export type TopicMap = Record<string, unknown>;

export class TypedBroker<T extends TopicMap> {
  readonly #handlers = new Map<string, Array<(payload: never) => void>>();

  subscribe<K extends keyof T & string>(topic: K, handler: (payload: T[K]) => void): () => boolean {
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

  publish<K extends keyof T & string>(topic: K, payload: T[K]): number {
    const list = this.#handlers.get(topic) ?? [];
    for (const handler of list) handler(payload as never);
    return list.length;
  }
}
