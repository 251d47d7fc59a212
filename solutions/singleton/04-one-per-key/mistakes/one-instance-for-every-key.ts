// Mistake: the Singleton from step 1 with a key bolted on. The first key's instance is kept and
// handed to every other key, so tenant "globex" gets tenant "acme"'s database.
// Caught by "keeps a separate instance for each key" and "keeps keys of different types apart".
export class Registry<K, V> {
  readonly #create: (key: K) => V;
  readonly #keys = new Set<K>();
  #instance: { readonly value: V } | undefined;

  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  get(key: K): V {
    this.#instance ??= { value: this.#create(key) };
    this.#keys.add(key);
    return this.#instance.value;
  }

  has(key: K): boolean {
    return this.#keys.has(key);
  }

  delete(key: K): boolean {
    if (this.#keys.size === 1 && this.#keys.has(key)) this.#instance = undefined;
    return this.#keys.delete(key);
  }

  get size(): number {
    return this.#keys.size;
  }
}
