/**
 * The speed machinery of the `Subject`, kept apart so that `subject.ts` reads as the pattern:
 * compiled rounds, as tseep compiles its listener lists, and the tuning constants that decide
 * when a list is worth compiling. None of this is public API (`index.ts` does not export it);
 * the lesson's section "How fast emitters get fast" explains it, and `npm run bench` measures
 * what it buys (the plain-loop row shows the same rounds without it).
 *
 * Observable behaviour is the same with or without it: every spec of the `Subject` runs both
 * with `compile: "off"` (the loop in subject.ts) and `compile: "eager"` (this module).
 *
 * @module
 * @internal
 */

/**
 * With `compile: "auto"`, how many rounds an observer list must stay unchanged before it is
 * compiled: churning lists (a view mounting and unmounting) never pay for compiling.
 *
 * @internal
 * @example
 * ```ts
 * for (let i = 0; i < COMPILE_AFTER_ROUNDS; i++) subject.notify(i); // now compiled
 * ```
 */
export const COMPILE_AFTER_ROUNDS = 16;

/**
 * The largest list that is compiled. Past it, one more call site no longer pays for itself (the
 * engine stops inlining long before), and `new Function` on a huge source costs more than the
 * rounds it would save.
 *
 * @internal
 * @example
 * ```ts
 * new Subject<number>({ compile: "eager" }); // compiles lists of up to MAX_COMPILED_OBSERVERS
 * ```
 */
export const MAX_COMPILED_OBSERVERS = 256;

/**
 * Rounds an unchanged list waits before it is compiled, per compile mode.
 *
 * @internal
 * @example
 * ```ts
 * ROUNDS_BEFORE_COMPILING.eager; // 1
 * ```
 */
export const ROUNDS_BEFORE_COMPILING: Readonly<Record<"auto" | "eager" | "off", number>> = {
  auto: COMPILE_AFTER_ROUNDS,
  eager: 1,
  off: Number.POSITIVE_INFINITY,
};

/**
 * What a compiled round needs of an entry: the function it calls, and whether it is still
 * attached.
 *
 * @internal
 * @example
 * ```ts
 * const entry: RoundEntry<number> = { fn: console.log, live: true, detach: undefined };
 * ```
 */
export interface RoundEntry<T> {
  readonly fn: (value: T) => void;
  readonly live: boolean;
  /** For a `once` entry, what detaches it; a round calls it just before `fn`. */
  readonly detach: (() => boolean) | undefined;
}

/**
 * A compiled round: calls every entry it was compiled from, and on the first throw hands the rest
 * of the round to `finish`, which runs the remaining entries and throws the round's failures.
 *
 * @internal
 * @example
 * ```ts
 * const round: Round<number> = (value) => observer(value);
 * ```
 */
export type Round<T> = (value: T) => void;

/**
 * Finishes a compiled round that threw at entry `at`: runs the entries after it, as the loop
 * would, then throws the round's `AggregateError` (a RecursionLimitError is rethrown as is).
 *
 * @internal
 * @example
 * ```ts
 * const finish: Finish<number> = (entries, value, at, error) => { throw error; };
 * ```
 */
export type Finish<T> = (
  entries: readonly RoundEntry<T>[],
  value: T,
  at: number,
  error: unknown,
) => never;

// Set once `new Function` has thrown: a Content Security Policy or
// `--disallow-code-generation-from-strings` forbids it for the rest of the process.
let codeGeneration = true;

// #region compiled
/**
 * The loop of subject.ts, unrolled: one call site per observer. A loop's single call site sees
 * every observer and goes megamorphic, so the engine inlines none of them; unrolled, each site
 * sees one function and can inline it into the round. Returns `undefined` where code generation
 * is forbidden, and the loop stays.
 *
 * @internal
 * @example
 * ```ts
 * const round = compileRound(entries, finish); // undefined under a strict CSP
 * round?.(value);
 * ```
 */
export function compileRound<T>(
  list: readonly RoundEntry<T>[],
  finish: Finish<T>,
): Round<T> | undefined {
  if (!codeGeneration) return undefined;
  // A copy of the live entries: the round never shares the subject's array, which attach and
  // detach change in place when no loop round is under way.
  const entries = list.filter((entry) => entry.live);
  // `fn` never changes, so each is read once here, not on every round.
  const fns = entries.map((_, i) => `const f${i} = e${i}.fn;`).join("\n");
  // The first call needs no `live` check: every entry is live when the round starts (any change
  // discards the compiled round), and only an observer of this round can detach a later one.
  // A `once` entry is detached before its call; whether it is `once` never changes either.
  const calls = entries.map((entry, i) => {
    const call = entry.detach === undefined ? `f${i}(value);` : `{ e${i}.detach(); f${i}(value); }`;
    return i === 0 ? call : `at = ${i}; if (e${i}.live) ${call}`;
  });
  // One `try` around every call, not one per call: a `try` per call keeps the engine from
  // merging the inlined observers, and cost about a third of the round when measured.
  const code = `"use strict";\n${fns}\nreturn function round(value) {\nlet at = 0;\ntry {\n${calls.join("\n")}\n} catch (error) {\nfinish(entries, value, at, error);\n}\n};`;
  try {
    const names = ["finish", "entries", ...entries.map((_, i) => `e${i}`)];
    return new Function(...names, code)(finish, entries, ...entries) as Round<T>;
  } catch {
    codeGeneration = false; // EvalError: code generation is forbidden here
    return undefined;
  }
}
// #endregion compiled
