/**
 * `lazy()`: a value created on first use and shared afterwards, the synchronous singleton. It is
 * what a module-level `let instance` plus `getInstance()` do by hand, with the edge cases done
 * once: failures not cached, self-dependency reported, a reset for tests that disposes.
 */
import { SingletonCycleError } from "./errors";
import { badArgument, checkDispose, checkName, optionsObject } from "./internal";

/** Options of {@link lazy}. */
export interface LazyOptions<T> {
  /** Names the value in error messages. Default: `"lazy value"`. */
  readonly name?: string;
  /** Releases a value that reset() forgets: close a pool, flush a log. */
  readonly dispose?: (value: T) => void;
}

/** A value created by its first {@link Lazy.get} and kept until {@link Lazy.reset}. */
export interface Lazy<T> {
  /**
   * The value, created now if it does not exist yet. If creation throws, the error propagates and
   * nothing is kept: the next call tries again. Throws {@link SingletonCycleError} if creation
   * asks for the value it is creating.
   */
  get(): T;
  /** Whether the value exists now. Creates nothing. */
  readonly created: boolean;
  /**
   * Forgets the value (passing it to `dispose` first), so that the next get() creates a new one.
   * Meant for tests and reloads; code that kept the old value keeps the old value.
   */
  reset(): void;
}

/**
 * A value created on first use and shared by every caller afterwards.
 *
 * @example
 * ```ts
 * // config.ts: importing this module reads nothing; the first getConfig() does.
 * const config = lazy(() => loadConfig(process.env), { name: "config" });
 * export const getConfig = () => config.get();
 * export const resetConfigForTests = () => config.reset();
 * ```
 */
export function lazy<T>(create: () => T, options?: LazyOptions<T>): Lazy<T> {
  if (typeof create !== "function") throw badArgument("create", "a function", create);
  const checked = optionsObject(options);
  const name = checkName(checked.name, "lazy value");
  const dispose = checkDispose(checked.dispose);

  // #region lazy
  // A box, not the bare value: `undefined` and other falsy values are valid values too (the
  // source's `if not cls._instance` would create them again on every call).
  let box: { readonly value: T } | undefined;
  let creating = false;
  // Bumped by reset(): a value whose creation straddled a reset is returned but not kept.
  let generation = 0;

  const get = (): T => {
    if (box) return box.value;
    if (creating) throw new SingletonCycleError(name);
    creating = true;
    const started = generation;
    try {
      const value = create(); // throws → nothing kept, the next get() tries again
      if (generation === started) box = { value };
      return value;
    } finally {
      creating = false;
    }
  };
  // #endregion lazy

  return {
    get,
    get created() {
      return box !== undefined;
    },
    reset() {
      const old = box;
      box = undefined;
      generation++;
      if (old && dispose) dispose(old.value);
    },
  };
}
