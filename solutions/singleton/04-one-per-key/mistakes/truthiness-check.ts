// Mistake: the source article's `if not cls._instance`, in TypeScript. Testing the instance for
// truthiness instead of the key for presence recreates any falsy instance (0, "", false) on
// every call. Caught by "keeps a falsy instance (0) instead of creating it again" (and "", false).
export class Registry<K, V> {
  readonly #create: (key: K) => V;
  readonly #instances = new Map<K, V>();

  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  get(key: K): V {
    let instance = this.#instances.get(key);
    if (!instance) {
      instance = this.#create(key);
      this.#instances.set(key, instance);
    }
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
