// Mistake: the key is claimed before create() runs (to stop a second creation). When create()
// throws, the claim stays: the key now "has" an undefined instance, and get() returns undefined
// forever instead of trying again.
// Caught by "keeps nothing for a key whose creation throws: the next get() tries again".
export class Registry<K, V> {
  readonly #create: (key: K) => V;
  readonly #instances = new Map<K, V | undefined>();

  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  get(key: K): V {
    if (!this.#instances.has(key)) {
      this.#instances.set(key, undefined);
      this.#instances.set(key, this.#create(key));
    }
    return this.#instances.get(key) as V;
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
