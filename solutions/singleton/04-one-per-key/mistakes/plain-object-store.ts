// Mistake: a plain object as the store. Keys become strings, so 1 and "1" collide, and names
// inherited from Object.prototype look present: get("constructor") returns the Object function
// instead of creating an instance.
// Caught by "works for keys named like Object.prototype members" and "keeps keys of different
// types apart".
export class Registry<K, V> {
  readonly #create: (key: K) => V;
  readonly #instances: Record<string, V> = {};

  constructor(create: (key: K) => V) {
    this.#create = create;
  }

  get(key: K): V {
    const name = String(key);
    if (!(name in this.#instances)) this.#instances[name] = this.#create(key);
    return this.#instances[name] as V;
  }

  has(key: K): boolean {
    return String(key) in this.#instances;
  }

  delete(key: K): boolean {
    const name = String(key);
    if (!(name in this.#instances)) return false;
    delete this.#instances[name];
    return true;
  }

  get size(): number {
    return Object.keys(this.#instances).length;
  }
}
