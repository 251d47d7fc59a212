/**
 * A trie of subscription patterns, one node per level, so that matching a topic walks only the
 * branches that can match it: the cost of a publish depends on the topic's length and on the
 * subscriptions that match, not on how many others exist.
 *
 * @module
 */
import {
  MULTI_LEVEL_WILDCARD,
  parsePattern,
  parseTopic,
  SINGLE_LEVEL_WILDCARD,
  SYSTEM_PREFIX,
} from "./topics";

// #region node
/**
 * One level of the patterns stored in a trie. `values` are those of the pattern that ends here;
 * `children` are the next levels, by name, `+` and `#` included. Both are allocated on first use:
 * most nodes of a big trie are leaves or single-pattern paths.
 */
class TrieNode<V> {
  children: Map<string, TrieNode<V>> | undefined = undefined;
  values: V[] | undefined = undefined;
  /** How many of `values` are no longer live (see the trie's `isLive`), not yet swept out. */
  stale = 0;

  constructor(
    readonly parent: TrieNode<V> | undefined,
    readonly key: string,
  ) {}

  get isEmpty(): boolean {
    return this.values === undefined && this.children === undefined;
  }
}
// #endregion node

/**
 * Orders the values stored under one pattern (and the merged result of a match). Values compare
 * as equal keep their insertion order.
 *
 * @example
 * ```ts
 * const byPriority: Compare<{ priority: number }> = (a, b) => b.priority - a.priority;
 * ```
 */
export type Compare<V> = (a: V, b: V) => number;

/**
 * Tells a trie whether a stored value is still wanted: a broker's subscription that has ended is
 * not. With it, deleting a value that is no longer live takes constant time (see
 * {@link TopicTrie.delete}).
 *
 * @example
 * ```ts
 * const isLive: IsLive<{ active: boolean }> = (subscription) => subscription.active;
 * ```
 */
export type IsLive<V> = (value: V) => boolean;

// Stale values are swept out of a pattern's list once they outnumber the live ones (and there
// are more than this many): each sweep is paid for by the deletions since the last one.
const SWEEP_AFTER = 32;

// Parsed topics, so that a topic published again is neither validated nor split again, and its
// levels (strings whose hashes the engine has already computed) are cheaper Map keys. Bounded:
// emptied when full, so that a stream of unique topics costs one insertion each and no memory.
const TOPIC_CACHE_SIZE = 1024;

/**
 * Subscription patterns mapped to values (a broker stores its subscriptions), matched against
 * topics by MQTT's rules: `+` is one level, `#` is any number of levels, zero included.
 *
 * - Matching visits one node per level per live branch: literal, `+` and `#` children only.
 *   Subscriptions on other branches cost nothing (`cost()` counts the visits).
 * - Removing the last value of a pattern prunes the nodes it leaves empty, so a trie that sees
 *   a million subscribe/unsubscribe cycles ends the size it started.
 * - With a `compare` function, each pattern's values are kept sorted, and `match()` returns them
 *   merged in that order; otherwise in walk order, then insertion order.
 * - With an `isLive` function, values that are no longer live are left where they are and swept
 *   later, so that removing any one of 20 000 subscribers of a topic takes constant time.
 *
 * @example
 * ```ts
 * const trie = new TopicTrie<string>();
 * trie.add("sensor.+.temperature", "thermostat");
 * trie.add("sensor.#", "logger");
 * trie.match("sensor.kitchen.temperature"); // ["logger", "thermostat"]
 * trie.delete("sensor.#", "logger"); // true
 * ```
 */
export class TopicTrie<V> {
  #root = new TrieNode<V>(undefined, "");
  #size = 0;
  #nodes = 1;
  readonly #compare: Compare<V> | undefined;
  readonly #isLive: IsLive<V> | undefined;
  readonly #topics = new Map<string, readonly string[]>();

  /**
   * @param compare Keeps values in this order (ties in insertion order); see the class notes.
   * @param isLive Whether a stored value is still wanted; see {@link TopicTrie.delete}.
   */
  constructor(compare?: Compare<V>, isLive?: IsLive<V>) {
    this.#compare = compare;
    this.#isLive = isLive;
  }

  /**
   * How many values are stored, over all patterns.
   *
   * @example
   * ```ts
   * new TopicTrie().size; // 0
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * How many nodes the trie holds, its root included: a measure of its memory, which goes back to
   * 1 when every value has been deleted.
   *
   * @example
   * ```ts
   * const trie = new TopicTrie<number>();
   * trie.add("a.b", 1);
   * trie.nodeCount; // 3: the root, "a", "b"
   * ```
   */
  get nodeCount(): number {
    return this.#nodes;
  }

  // #region add
  /**
   * Stores `value` under `pattern`. The same value may be stored twice (it is then matched twice).
   *
   * @throws InvalidTopicError if `pattern` is malformed (see `parsePattern`).
   *
   * @example
   * ```ts
   * trie.add("chat.+.message", handler);
   * ```
   */
  add(pattern: string, value: V): void {
    let node = this.#root;
    for (const level of parsePattern(pattern)) {
      node.children ??= new Map();
      let child = node.children.get(level);
      if (child === undefined) {
        child = new TrieNode(node, level);
        node.children.set(level, child);
        this.#nodes++;
      }
      node = child;
    }
    node.values ??= [];
    const values = node.values;
    values.splice(this.#insertionIndex(values, value), 0, value);
    this.#size++;
  }
  // #endregion add

  // #region delete
  /**
   * Removes one occurrence of `value` from `pattern`, then prunes the nodes left empty.
   *
   * If the trie has an `isLive` function and `value` is no longer live, it is not searched for: it
   * is counted as stale where it is, in constant time, and swept out of its list once the stale
   * values outnumber the live ones. The caller vouches that it was stored under `pattern`, once.
   *
   * @returns Whether it was there (for a value that is no longer live: true).
   * @throws InvalidTopicError if `pattern` is malformed.
   *
   * @example
   * ```ts
   * trie.delete("chat.+.message", handler); // true
   * trie.delete("chat.+.message", handler); // false
   * ```
   */
  delete(pattern: string, value: V): boolean {
    let node: TrieNode<V> | undefined = this.#root;
    for (const level of parsePattern(pattern)) {
      node = node.children?.get(level);
      if (node === undefined) return false;
    }
    const values = node.values;
    if (values === undefined) return false;
    if (this.#isLive?.(value) === false) {
      node.stale++;
      if (node.stale === values.length) node.values = undefined;
      else if (node.stale > SWEEP_AFTER && node.stale * 2 > values.length) this.#sweep(node);
    } else {
      const index = values.indexOf(value);
      if (index === -1) return false;
      values.splice(index, 1);
      if (values.length === 0) node.values = undefined;
    }
    if (node.values === undefined) node.stale = 0;
    this.#size--;
    // Walk back up while the nodes are empty: a pattern's path must not outlive its last value.
    while (node.parent !== undefined && node.isEmpty) {
      const parent: TrieNode<V> = node.parent;
      parent.children?.delete(node.key);
      if (parent.children?.size === 0) parent.children = undefined;
      this.#nodes--;
      node = parent;
    }
    return true;
  }
  // #endregion delete

  /**
   * Every stored value, pattern by pattern (depth first), each pattern's in its order.
   *
   * @example
   * ```ts
   * for (const handler of trie.values()) console.log(handler);
   * ```
   */
  *values(): IterableIterator<V> {
    const stack = [this.#root];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (node.values !== undefined) yield* this.#live(node);
      if (node.children !== undefined) stack.push(...[...node.children.values()].reverse());
    }
  }

  /**
   * Removes everything.
   *
   * @example
   * ```ts
   * trie.clear();
   * trie.nodeCount; // 1
   * ```
   */
  clear(): void {
    this.#root = new TrieNode<V>(undefined, "");
    this.#size = 0;
    this.#nodes = 1;
    this.#topics.clear();
  }

  // #region match
  /**
   * The values of every pattern that matches `topic`: a new array, which the caller may keep
   * while the trie changes (a broker's round iterates it while handlers unsubscribe).
   *
   * @throws InvalidTopicError if `topic` is malformed or holds a wildcard.
   *
   * @example
   * ```ts
   * trie.match("chat.lobby.message"); // the values of "chat.lobby.message", "chat.+.message", "#"…
   * ```
   */
  match(topic: string): V[] {
    const nodes: TrieNode<V>[] = [];
    this.#walk(this.#root, this.#levels(topic), 0, nodes, undefined);
    if (nodes.length === 0) return [];
    const only = nodes.length === 1 ? (nodes[0] as TrieNode<V>) : undefined;
    if (only !== undefined)
      return only.stale === 0 ? (only.values as V[]).slice() : [...this.#live(only)];
    const merged = nodes.flatMap((node) => this.#live(node));
    // Array#sort is stable: values that compare equal keep their walk (and insertion) order.
    return this.#compare === undefined ? merged : merged.sort(this.#compare);
  }

  /**
   * How many nodes matching `topic` visits: a diagnostic that shows a publish's cost does not
   * grow with the subscriptions that cannot match it.
   *
   * @example
   * ```ts
   * for (let i = 0; i < 10_000; i++) trie.add(`device.${i}.+`, i);
   * trie.cost("device.42.temperature"); // 4, whatever the number of devices
   * ```
   */
  cost(topic: string): number {
    const visits = { count: 0 };
    this.#walk(this.#root, this.#levels(topic), 0, [], visits);
    return visits.count;
  }

  /** A topic's levels, validated: from the cache if it was published lately. */
  #levels(topic: string): readonly string[] {
    let levels = this.#topics.get(topic);
    if (levels === undefined) {
      levels = parseTopic(topic); // throws for a malformed topic, which is never cached
      if (this.#topics.size >= TOPIC_CACHE_SIZE) this.#topics.clear();
      this.#topics.set(topic, levels);
    }
    return levels;
  }

  /** A node's values, the stale ones left out. */
  #live(node: TrieNode<V>): readonly V[] {
    const values = node.values as V[];
    return node.stale === 0 ? values : values.filter(this.#isLive as IsLive<V>);
  }

  /** Drops a node's stale values, in one pass. */
  #sweep(node: TrieNode<V>): void {
    node.values = node.values?.filter(this.#isLive as IsLive<V>);
    node.stale = 0;
  }

  /**
   * Collects the nodes with values that match `levels` from `i` on. Each node is reached by one
   * path at most (its own levels), so no value is collected twice.
   */
  #walk(
    node: TrieNode<V>,
    levels: readonly string[],
    i: number,
    out: TrieNode<V>[],
    visits: { count: number } | undefined,
  ): void {
    if (visits) visits.count++;
    const children = node.children;
    // `#` matches what is left of the topic, nothing included: `chat.#` matches `chat` too.
    // At the root, neither wildcard matches a system topic (`$sys.…`).
    const wildcards = i > 0 || !(levels[0] as string).startsWith(SYSTEM_PREFIX);
    if (children !== undefined && wildcards) {
      const rest = children.get(MULTI_LEVEL_WILDCARD);
      if (rest !== undefined) {
        if (visits) visits.count++;
        if (rest.values !== undefined) out.push(rest);
      }
    }
    if (i === levels.length) {
      if (node.values !== undefined) out.push(node);
      return;
    }
    if (children === undefined) return;
    const exact = children.get(levels[i] as string);
    if (exact !== undefined) this.#walk(exact, levels, i + 1, out, visits);
    const one = wildcards ? children.get(SINGLE_LEVEL_WILDCARD) : undefined;
    if (one !== undefined) this.#walk(one, levels, i + 1, out, visits);
  }
  // #endregion match

  /** Where `value` goes in a sorted list: after every value it does not sort before. */
  #insertionIndex(values: readonly V[], value: V): number {
    const compare = this.#compare;
    if (compare === undefined) return values.length;
    let low = 0;
    let high = values.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compare(values[mid] as V, value) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
