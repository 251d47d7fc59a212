/**
 * Helpers the reference specs share: what a call threw, the hostile values a caller can throw or
 * pass, and a watch on unhandled rejections. Specs import it as `../../kata/spec-helpers`.
 *
 * @module
 */
import fc from "fast-check";

/**
 * What `act` threw. Fails the test if it returned: `expect(…).toThrow(…)` also passes when
 * `undefined` is thrown (vitest #7260), and a caught error can be checked field by field.
 *
 * @example
 * ```ts
 * const error = thrownBy(() => createFactory(""));
 * expect(error).toBeInstanceOf(TypeError);
 * ```
 */
export function thrownBy(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw, but the call returned normally");
}

/**
 * What `promise` rejected with. Fails the test if it fulfilled.
 *
 * @example
 * ```ts
 * const error = await rejectionOf(subject.notify(1));
 * ```
 */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, but the promise fulfilled");
}

/**
 * Values whose properties cannot be read, or that break a careless `String()`, `instanceof` or
 * `.message`: what a hostile (or just unlucky) caller throws, rejects with or passes. Made afresh
 * on every call, each with a label for test names.
 *
 * @example
 * ```ts
 * it.each(hostileValues())("survives %s", (_label, value) => { … });
 * ```
 */
export function hostileValues(): Array<[label: string, value: unknown]> {
  const trap = () => {
    throw new Error("hostile trap");
  };
  const everyTrap: ProxyHandler<object> = {
    get: trap,
    getPrototypeOf: trap,
    has: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
    set: trap,
    apply: trap,
    construct: trap,
    defineProperty: trap,
    deleteProperty: trap,
    isExtensible: trap,
    preventExtensions: trap,
    setPrototypeOf: trap,
  };
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const badMessage = new Error("unused");
  Object.defineProperty(badMessage, "message", { get: trap });
  const badName = new Error("a name that cannot be read");
  Object.defineProperty(badName, "name", { get: trap });
  const badStack = new Error("a stack that cannot be read");
  Object.defineProperty(badStack, "stack", { get: trap });
  return [
    ["Object.create(null)", Object.create(null)],
    ["an Error whose message getter throws", badMessage],
    ["an Error whose name getter throws", badName],
    ["an Error whose stack getter throws", badStack],
    ["a Proxy that throws on every trap", new Proxy({}, everyTrap)],
    ["a function Proxy that throws on every trap", new Proxy(() => undefined, everyTrap)],
    ["a revoked Proxy", revocable.proxy],
    ["undefined", undefined],
    ["null", null],
    ["a symbol", Symbol("hostile")],
    ["a bigint", 10n ** 30n],
    ["an object whose toString throws", { toString: trap, valueOf: trap }],
  ];
}

/**
 * Any value at all, hostile ones included: for fuzzing what observers throw, reject with, or
 * are given.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(anyValue(), (value) => { … }), { numRuns: 50 });
 * ```
 */
export function anyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.anything(),
    fc.constantFrom(...hostileValues().map(([, value]) => value)),
    fc.constantFrom(Number.NaN, -1, 0, 2 ** 31, 1e308, Number.POSITIVE_INFINITY, -0),
  );
}

// Captured at import, before a spec installs fake timers: Node reports unhandled rejections only
// after a turn of the real event loop.
const realSetImmediate = globalThis.setImmediate;

/**
 * Records every unhandled rejection from now until `stop()`. `settle()` lets the real event loop
 * turn, so that a rejection nobody handled is reported before the test looks.
 *
 * @example
 * ```ts
 * const unhandled = watchUnhandledRejections();
 * try { … await unhandled.settle(); expect(unhandled.reasons).toEqual([]); }
 * finally { unhandled.stop(); }
 * ```
 */
export function watchUnhandledRejections(): {
  readonly reasons: unknown[];
  settle(): Promise<void>;
  stop(): void;
} {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => {
    reasons.push(reason);
  };
  process.on("unhandledRejection", listener);
  return {
    reasons,
    async settle() {
      for (let turn = 0; turn < 2; turn++) {
        await new Promise<void>((resolve) => realSetImmediate(resolve));
      }
    },
    stop() {
      process.off("unhandledRejection", listener);
    },
  };
}
