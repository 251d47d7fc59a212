/**
 * A broker checked by the compiler: a topic map type says which topics exist and what each one
 * carries, so an unknown topic or a wrong payload is a compile error, not a 3 a.m. surprise.
 */

/** A topic map: topic name → payload type. An `interface` or a `type` literal. */
// `object`, not `Record<string, unknown>`: an interface has no index signature, so it would not
// satisfy a Record constraint.
export type TopicMap = object;

export class TypedBroker<T extends TopicMap> {
  readonly #handlers = new Map<string, Array<(payload: never) => void>>();

  /** Calls `handler` with each payload published on `topic`; returns an unsubscribe function. */
  subscribe<K extends keyof T & string>(topic: K, handler: (payload: T[K]) => void): () => boolean {
    // Stored without its type: the map holds every topic's handlers. `K` ties them on the way in.
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

  /** Calls every handler of `topic` with `payload`; returns how many were called. */
  publish<K extends keyof T & string>(topic: K, payload: T[K]): number {
    const list = this.#handlers.get(topic) ?? [];
    for (const handler of list) handler(payload as never);
    return list.length;
  }
}
