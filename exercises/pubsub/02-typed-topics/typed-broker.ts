/**
 * A broker checked by the compiler: a topic map type says which topics exist and what each one
 * carries, so an unknown topic or a wrong payload is a compile error, not a 3 a.m. surprise.
 */

/** A topic map: topic name → payload type. An `interface` or a `type` literal. */
export type TopicMap = object;

// TODO: tie each method's payload type to its topic: `K extends keyof T & string` and `T[K]`.
// The loose `any` types below accept everything, which is what the type-level spec rejects.
// biome-ignore lint/correctness/noUnusedVariables: the stub does not use T yet; your answer will
export class TypedBroker<T extends TopicMap> {
  /** Calls `handler` with each payload published on `topic`; returns an unsubscribe function. */
  // biome-ignore lint/suspicious/noExplicitAny: the stub is deliberately untyped
  subscribe(topic: string, handler: (payload: any) => void): () => boolean {
    throw new Error(
      `TODO(pubsub/02): implement subscribe(${JSON.stringify(topic)}, ${typeof handler})`,
    );
  }

  /** Calls every handler of `topic` with `payload`; returns how many were called. */
  // biome-ignore lint/suspicious/noExplicitAny: the stub is deliberately untyped
  publish(topic: string, payload?: any): number {
    throw new Error(
      `TODO(pubsub/02): implement publish(${JSON.stringify(topic)}, ${typeof payload})`,
    );
  }
}
