/**
 * One instance per key, each created on first use: a pool per tenant, a logger per module name.
 * `registry.get(key)` returns the same instance for the same key, for as long as it is kept.
 */
export class Registry<K, V> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: get() is yours to write, and calls it
  readonly #create: (key: K) => V;

  /** `create` makes the instance for a key; it is called at most once per key until delete(). */
  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  // TODO: keep the instances in a Map (any key works, and nothing is inherited), create on a miss.

  /** The instance for `key`, created now if there is none yet. */
  get(key: K): V {
    throw new Error(`TODO(singleton/04): implement Registry.get(${String(key)})`);
  }

  /** Whether `key` has an instance. Creates nothing. */
  has(key: K): boolean {
    throw new Error(`TODO(singleton/04): implement Registry.has(${String(key)})`);
  }

  /** Forgets the instance for `key` (the next get() creates a new one); false if there was none. */
  delete(key: K): boolean {
    throw new Error(`TODO(singleton/04): implement Registry.delete(${String(key)})`);
  }

  /** How many keys have an instance. */
  get size(): number {
    throw new Error("TODO(singleton/04): implement Registry.size");
  }
}
