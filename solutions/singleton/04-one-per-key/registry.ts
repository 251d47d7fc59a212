/**
 * One instance per key, each created on first use: a pool per tenant, a logger per module name.
 * `registry.get(key)` returns the same instance for the same key, for as long as it is kept.
 */
export class Registry<K, V> {
  readonly #create: (key: K) => V;
  // A Map, not a plain object: any key type, no clash with inherited names such as "constructor",
  // and has() tells "never created" from "created as undefined/0/''".
  readonly #instances = new Map<K, V>();

  /** `create` makes the instance for a key; it is called at most once per key until delete(). */
  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  /** The instance for `key`, created now if there is none yet. */
  get(key: K): V {
    if (this.#instances.has(key)) return this.#instances.get(key) as V;
    // Stored only once create() has returned: if it throws, the key stays free and the next get()
    // tries again.
    const instance = this.#create(key);
    this.#instances.set(key, instance);
    return instance;
  }

  /** Whether `key` has an instance. Creates nothing. */
  has(key: K): boolean {
    return this.#instances.has(key);
  }

  /** Forgets the instance for `key` (the next get() creates a new one); false if there was none. */
  delete(key: K): boolean {
    return this.#instances.delete(key);
  }

  /** How many keys have an instance. */
  get size(): number {
    return this.#instances.size;
  }
}
