// Approach: Each instance in a box, one Map lookup
//
// - Gains: `get()` asks the Map once (`get` answers "absent" as `undefined`, and a box is never
//   undefined, even when the instance inside it is), and needs no `as V` cast.
// - Costs: one small object per key, and every read goes through `.value`. The answer key's
//   `has()` then `get()` is two lookups, but the Map stores the instances themselves.

/**
 * One instance per key, each created on first use: a pool per tenant, a logger per module name.
 * `registry.get(key)` returns the same instance for the same key, for as long as it is kept.
 */
export class Registry<K, V> {
  readonly #create: (key: K) => V;
  readonly #boxes = new Map<K, { readonly value: V }>();

  /** `create` makes the instance for a key; it is called at most once per key until delete(). */
  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  /** The instance for `key`, created now if there is none yet. */
  get(key: K): V {
    const box = this.#boxes.get(key);
    if (box !== undefined) return box.value;
    // Boxed only once create() has returned: if it throws, the key stays free.
    const value = this.#create(key);
    this.#boxes.set(key, { value });
    return value;
  }

  /** Whether `key` has an instance. Creates nothing. */
  has(key: K): boolean {
    return this.#boxes.has(key);
  }

  /** Forgets the instance for `key` (the next get() creates a new one); false if there was none. */
  delete(key: K): boolean {
    return this.#boxes.delete(key);
  }

  /** How many keys have an instance. */
  get size(): number {
    return this.#boxes.size;
  }
}
