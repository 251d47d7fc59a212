// Approach: Match level by level with a frontier, prune along the path walked
//
// - Gains: no recursion: match() keeps the set of nodes that match the topic so far (the
//   frontier) and moves it one level at a time, so a deep topic cannot overflow the stack and the
//   work per level is visible. delete() remembers the path it walked and prunes back along it,
//   so nodes need no parent pointer and no key of their own.
// - Costs: a new array per level, and the "#" rule (it matches zero levels too) must be applied
//   at every level and once more at the end, where the recursive walk says it once per node.
//   The recursion reads closer to the definition of a match.

// The given code is the answer key's; what follows is this approach's own.
import { anchored, InvalidTopicError } from "../topic-trie";

export { anchored, InvalidTopicError };

interface TrieNode<V> {
  readonly children: Map<string, TrieNode<V>>;
  readonly values: V[];
}

const node = <V>(): TrieNode<V> => ({ children: new Map(), values: [] });

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
  readonly #root: TrieNode<V> = node();
  #nodes = 1;

  /** How many nodes the trie holds, the root included: 1 when empty. */
  get nodeCount(): number {
    return this.#nodes;
  }

  /** Stores `value` under `pattern`; throws InvalidTopicError for a malformed pattern. */
  add(pattern: string, value: V): void {
    let at = this.#root;
    for (const level of patternLevels(pattern)) {
      let child = at.children.get(level);
      if (child === undefined) {
        child = node();
        at.children.set(level, child);
        this.#nodes++;
      }
      at = child;
    }
    at.values.push(value);
  }

  /** Removes `value` from `pattern` and prunes nodes left empty; returns whether it was there. */
  delete(pattern: string, value: V): boolean {
    const levels = patternLevels(pattern);
    // path[i] is the node reached after i levels: the root first.
    const path: TrieNode<V>[] = [this.#root];
    for (const level of levels) {
      const child = path[path.length - 1]?.children.get(level);
      if (child === undefined) return false;
      path.push(child);
    }
    const last = path[path.length - 1] as TrieNode<V>;
    const i = last.values.indexOf(value);
    if (i === -1) return false;
    last.values.splice(i, 1);
    // Back up the path while the node below is empty: unlink it from its parent.
    for (let depth = levels.length; depth > 0; depth--) {
      const emptied = path[depth] as TrieNode<V>;
      if (emptied.values.length > 0 || emptied.children.size > 0) break;
      path[depth - 1]?.children.delete(levels[depth - 1] as string);
      this.#nodes--;
    }
    return true;
  }

  /** The values of every pattern matching `topic`; throws InvalidTopicError for a bad topic. */
  match(topic: string): V[] {
    const levels = levelsOf(topic);
    if (/[+#]/.test(topic)) throw new InvalidTopicError(topic, "a published topic has no wildcard");
    const found: V[] = [];
    let frontier: TrieNode<V>[] = [this.#root];
    for (const level of levels) {
      const next: TrieNode<V>[] = [];
      for (const at of frontier) {
        // "#" here matches the rest of the topic, from this level on.
        found.push(...(at.children.get("#")?.values ?? []));
        const exact = at.children.get(level);
        if (exact) next.push(exact);
        const one = at.children.get("+");
        if (one) next.push(one);
      }
      frontier = next;
    }
    for (const at of frontier) {
      // The whole topic is matched: "#" below matches zero levels ("sport.#" matches "sport").
      found.push(...at.values, ...(at.children.get("#")?.values ?? []));
    }
    return found;
  }
}
