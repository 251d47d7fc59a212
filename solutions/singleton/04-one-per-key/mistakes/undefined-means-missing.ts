// Mistake: `get(key) !== undefined` stands in for `has(key)`. It fixes the truthiness trap for
// 0 and "", but a key whose instance is `undefined` (a lookup that found nothing, a void
// initialiser) is created again on every call: "not stored" and "stored as undefined" look alike.
// Caught by "keeps a falsy instance (undefined) instead of creating it again".
// Hint: a Map can store `undefined` as a value; only has() tells whether a key is there.
export class Registry<K, V> {
  readonly #create: (key: K) => V;
  readonly #instances = new Map<K, V>();

  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  get(key: K): V {
    const kept = this.#instances.get(key);
    if (kept !== undefined) return kept;
    const instance = this.#create(key);
    this.#instances.set(key, instance);
    return instance;
  }

  has(key: K): boolean {
    return this.#instances.has(key);
  }

  delete(key: K): boolean {
    return this.#instances.delete(key);
  }

  get size(): number {
    return this.#instances.size;
  }
}
