/**
 * Wildcard subscriptions, MQTT style, with `.` between levels: `+` matches one level, `#` any
 * number of levels (zero included) and only as the last level. Patterns live in a trie, so a
 * publish walks only the branches that can match its topic.
 */

/** A topic or pattern that breaks the rules; `topic` is the offending string. */
export class InvalidTopicError extends Error {
  override readonly name = "InvalidTopicError";

  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`invalid topic or pattern ${JSON.stringify(topic)}: ${reason}`);
  }
}

export class TopicTrie<V> {
  // TODO: a root node; each node has children by level name ("+" and "#" included) and the
  // values of the patterns that end there. Count the nodes for `nodeCount`.

  /** How many nodes the trie holds, the root included: 1 when empty. */
  get nodeCount(): number {
    throw new Error("TODO(pubsub/03): implement nodeCount");
  }

  /** Stores `value` under `pattern`; throws InvalidTopicError for a malformed pattern. */
  add(pattern: string, value: V): void {
    throw new Error(`TODO(pubsub/03): implement add(${JSON.stringify(pattern)}, ${typeof value})`);
  }

  /** Removes `value` from `pattern` and prunes nodes left empty; returns whether it was there. */
  delete(pattern: string, value: V): boolean {
    throw new Error(
      `TODO(pubsub/03): implement delete(${JSON.stringify(pattern)}, ${typeof value})`,
    );
  }

  /** The values of every pattern matching `topic`; throws InvalidTopicError for a bad topic. */
  match(topic: string): V[] {
    throw new Error(`TODO(pubsub/03): implement match(${JSON.stringify(topic)})`);
  }
}

/**
 * A RegExp subscription, made safe: a copy that must match a whole topic, never a substring,
 * and that keeps no state between tests (no `g` or `y` flag).
 */
export function anchored(pattern: RegExp): RegExp {
  // TODO: build `new RegExp(…)` from pattern.source and pattern.flags.
  throw new Error(`TODO(pubsub/03): implement anchored(${String(pattern)})`);
}
