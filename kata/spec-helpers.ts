/**
 * Helpers the reference specs share: what a call threw, the hostile values a caller can throw or
 * pass, a watch on unhandled rejections, and a way to force garbage collections. Specs import it as `../../kata/spec-helpers`.
 *
 * @module
 */
import { appendFileSync } from "node:fs";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";

/**
 * V8's `gc()`, without command-line flags: allowed in new contexts only while one is made to
 * fetch it. Each call is a full, synchronous collection (count rounds of it, never time them).
 */
export function garbageCollector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  try {
    return runInNewContext("gc") as () => void;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
}

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

/** A generated value in a box: fast-check inspects every value it generates, and a hostile one
 * would throw right there, so fuzzes draw boxes and open them inside the property. */
export interface Boxed {
  readonly value: unknown;
}

function box(value: unknown, label?: string): Boxed {
  // How fast-check shows the value in a failure report, without reading it.
  const show = () => label ?? fc.stringify(value);
  return Object.assign({ value }, { [fc.toStringMethod]: show });
}

/**
 * Any value at all, hostile ones included, boxed (see {@link Boxed}): for fuzzing what observers
 * throw, reject with, or are given, and what options are set to.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(anyValue(), ({ value }) => { … }), { numRuns: 50 });
 * ```
 */
export function anyValue(): fc.Arbitrary<Boxed> {
  const count = hostileValues().length;
  return fc.oneof(
    fc.anything().map((value) => box(value)),
    fc.integer({ min: 0, max: count - 1 }).map((i) => {
      const [label, value] = hostileValues()[i] as [string, unknown];
      return box(value, label);
    }),
    fc
      .constantFrom(Number.NaN, -1, 0, 1, 2 ** 31 - 1, 2 ** 31, 1e308, Number.POSITIVE_INFINITY, -0)
      .map((value) => box(value)),
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

/**
 * Checks the workbook's one message for a bad argument: a `TypeError` or `RangeError` that reads
 * ``\`name\` must be …, got …``. Returns the failure, or `undefined` when `error` is one.
 *
 * @example
 * ```ts
 * expect(badArgumentProblem(thrownBy(() => new AsyncSubject({ timeout: -1 })))).toBeUndefined();
 * ```
 */
export function badArgumentProblem(error: unknown): string | undefined {
  if (!(error instanceof TypeError || error instanceof RangeError)) {
    return `expected a TypeError or RangeError, got ${String(error)}`;
  }
  return /^`[^`]+` must be .+, got .+$/s.test(error.message)
    ? undefined
    : `not the bad-argument message: ${error.message}`;
}

/**
 * Counts what a fuzz tried, and writes the totals to the file named by `FUZZ_REPORT` (one JSON
 * line per property) when that variable is set: figures for a report, never printed.
 *
 * @example
 * ```ts
 * const tally = fuzzTally("AsyncSubject rounds");
 * fc.assert(fc.property(…, (…) => { tally.values += 3; … }), { numRuns: 40 });
 * tally.done(40);
 * ```
 */
export function fuzzTally(name: string): { values: number; done(cases: number): void } {
  return {
    values: 0,
    done(cases) {
      const file = process.env.FUZZ_REPORT;
      if (file) appendFileSync(file, `${JSON.stringify({ name, cases, values: this.values })}\n`);
    },
  };
}
