/**
 * `SingletonRegistry`: one instance per key (a "multiton"), each created on first use: a
 * connection pool per tenant, a logger per module name (Python's `logging.getLogger(name)`).
 */
import { SingletonCycleError } from "./errors";
import { badArgument, checkDispose, checkName, describe, optionsObject } from "./internal";

/** Options of {@link SingletonRegistry}. */
export interface SingletonRegistryOptions<K, V> {
  /** Names the registry in error messages. Default: `"registry"`. */
  readonly name?: string;
  /** Releases an instance that delete() or clear() forgets. */
  readonly dispose?: (value: V, key: K) => void;
}

/**
 * One instance per key, created by the first `get(key)` and kept until `delete(key)`. Keys are
 * compared as a `Map` compares them (SameValueZero): `1` and `"1"` are two keys, and two equal
 * looking objects are two keys.
 *
 * For instances that need an `await`, keep an {@link AsyncSingleton} per key:
 *
 * @example
 * ```ts
 * const pools = new SingletonRegistry(
 *   (tenant: string) => new AsyncSingleton(() => Pool.connect(urlOf(tenant))),
 *   { name: "tenant pools" },
 * );
 * const pool = await pools.get("acme").get();
 * ```
 */
export class SingletonRegistry<K, V> {
  readonly #create: (key: K) => V;
  readonly #name: string;
  readonly #dispose: ((value: V, key: K) => void) | undefined;
  readonly #instances = new Map<K, V>();
  readonly #creating = new Set<K>();

  /** @param create Makes the instance for a key; called at most once per key until delete(). */
  constructor(create: (key: K) => V, options?: SingletonRegistryOptions<K, V>) {
    if (typeof create !== "function") throw badArgument("create", "a function", create);
    const checked = optionsObject(options);
    this.#create = create;
    this.#name = checkName(checked.name, "registry");
    this.#dispose = checkDispose(checked.dispose);
  }

  // #region get
  /**
   * The instance for `key`, created now if there is none. If creation throws, nothing is kept for
   * the key. Throws {@link SingletonCycleError} if creating `key` asks for `key` again (asking
   * for other keys is fine).
   */
  get(key: K): V {
    // has(), not a truthiness test: 0, "" and undefined are instances like any other.
    if (this.#instances.has(key)) return this.#instances.get(key) as V;
    if (this.#creating.has(key)) {
      throw new SingletonCycleError(`${this.#name} entry ${describe(key)}`);
    }
    this.#creating.add(key);
    try {
      const instance = this.#create(key);
      this.#instances.set(key, instance); // only after create() returned
      return instance;
    } finally {
      this.#creating.delete(key);
    }
  }
  // #endregion get

  /** The instance for `key` if it exists; creates nothing. */
  peek(key: K): V | undefined {
    return this.#instances.get(key);
  }

  /** Whether `key` has an instance. Creates nothing. */
  has(key: K): boolean {
    return this.#instances.has(key);
  }

  /** Forgets (and disposes) the instance for `key`; `false` if it had none. */
  delete(key: K): boolean {
    if (!this.#instances.has(key)) return false;
    const instance = this.#instances.get(key) as V;
    this.#instances.delete(key);
    this.#dispose?.(instance, key);
    return true;
  }

  /**
   * Forgets (and disposes) every instance: for tests, and for shutting down. Every instance is
   * forgotten even if a dispose throws; the first such error is rethrown at the end.
   */
  clear(): void {
    const entries = [...this.#instances];
    this.#instances.clear();
    let failure: { readonly error: unknown } | undefined;
    for (const [key, instance] of entries) {
      try {
        this.#dispose?.(instance, key);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  /** How many keys have an instance. */
  get size(): number {
    return this.#instances.size;
  }

  /** The keys that have an instance, in creation order. */
  keys(): IterableIterator<K> {
    return this.#instances.keys();
  }
}
