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

class TrieNode<V> {
  readonly children = new Map<string, TrieNode<V>>();
  readonly values: V[] = [];

  /** Where the node hangs: its parent and its level there (the root hangs nowhere). */
  constructor(readonly up?: { readonly parent: TrieNode<V>; readonly level: string }) {}
}

function levelsOf(topic: string): string[] {
  const levels = topic.split(".");
  if (levels.includes("")) throw new InvalidTopicError(topic, "empty level");
  return levels;
}

function patternLevels(pattern: string): string[] {
  const levels = levelsOf(pattern);
  levels.forEach((level, i) => {
    if (level === "#" && i !== levels.length - 1) {
      throw new InvalidTopicError(pattern, '"#" must be the last level');
    }
    if (level !== "+" && level !== "#" && /[+#]/.test(level)) {
      throw new InvalidTopicError(pattern, "a wildcard must be a whole level");
    }
  });
  return levels;
}

export class TopicTrie<V> {
  readonly #root = new TrieNode<V>();
  #nodes = 1;

  /** How many nodes the trie holds, the root included: 1 when empty. */
  get nodeCount(): number {
    return this.#nodes;
  }

  /** Stores `value` under `pattern`; throws InvalidTopicError for a malformed pattern. */
  add(pattern: string, value: V): void {
    let node = this.#root;
    for (const level of patternLevels(pattern)) {
      let child = node.children.get(level);
      if (child === undefined) {
        child = new TrieNode({ parent: node, level });
        node.children.set(level, child);
        this.#nodes++;
      }
      node = child;
    }
    node.values.push(value);
  }

  /** Removes `value` from `pattern` and prunes nodes left empty; returns whether it was there. */
  delete(pattern: string, value: V): boolean {
    let node: TrieNode<V> | undefined = this.#root;
    for (const level of patternLevels(pattern)) {
      node = node.children.get(level);
      if (node === undefined) return false;
    }
    const i = node.values.indexOf(value);
    if (i === -1) return false;
    node.values.splice(i, 1);
    // Without this, a million subscribe/unsubscribe cycles leave a million empty nodes behind.
    while (node.up && node.values.length === 0 && node.children.size === 0) {
      node.up.parent.children.delete(node.up.level);
      this.#nodes--;
      node = node.up.parent;
    }
    return true;
  }

  /** The values of every pattern matching `topic`; throws InvalidTopicError for a bad topic. */
  match(topic: string): V[] {
    const levels = levelsOf(topic);
    if (/[+#]/.test(topic)) throw new InvalidTopicError(topic, "a published topic has no wildcard");
    const found: V[] = [];
    const walk = (node: TrieNode<V>, i: number): void => {
      // "#" matches the rest of the topic, nothing included: "sport.#" matches "sport".
      found.push(...(node.children.get("#")?.values ?? []));
      if (i === levels.length) {
        found.push(...node.values);
        return;
      }
      const exact = node.children.get(levels[i] as string);
      if (exact) walk(exact, i + 1);
      const one = node.children.get("+");
      if (one) walk(one, i + 1);
    };
    walk(this.#root, 0);
    return found;
  }
}

/**
 * A RegExp subscription, made safe: a copy that must match a whole topic, never a substring,
 * and that keeps no state between tests (no `g` or `y` flag).
 */
export function anchored(pattern: RegExp): RegExp {
  // The group keeps alternatives inside the anchors: /a|b/ must not become ^a|b$. Without `m`,
  // ^ and $ are the ends of the topic, not of any line in it ("evil\nlobby" must not match).
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gmy]/g, ""));
}
