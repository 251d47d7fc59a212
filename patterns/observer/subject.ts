/**
 * A typed Subject for the synchronous Observer pattern: attach, detach, notify, with the edge cases
 * settled (see the lesson, README.md, for why each rule was chosen).
 *
 * @module
 */

// #region types
/**
 * An observer written as a function: it is called with each value the subject notifies.
 *
 * @example
 * ```ts
 * const log: ObserverFunction<string> = (headline) => console.log(headline);
 * ```
 */
export type ObserverFunction<T> = (value: T) => void;

/**
 * An observer written as an object, as in the classic pattern: its `update()` is called with each
 * value, with the object as `this`.
 *
 * @example
 * ```ts
 * class EmailSubscriber implements ObserverObject<string> {
 *   constructor(readonly address: string) {}
 *   update(headline: string) { console.log(`mail ${this.address}: ${headline}`); }
 * }
 * ```
 */
export interface ObserverObject<T> {
  // A property rather than a method signature: method parameters are checked bivariantly, which
  // would let an observer of `"a"` sneak onto a `Subject<string>`.
  /** Called with each value the subject notifies, with the observer as `this`. */
  readonly update: (value: T) => void;
}

/**
 * Anything a {@link Subject} accepts as an observer: a function or an object with `update()`.
 *
 * @example
 * ```ts
 * const observers: Observer<number>[] = [(n) => console.log(n), { update: (n) => console.log(n) }];
 * ```
 */
export type Observer<T> = ObserverFunction<T> | ObserverObject<T>;

/**
 * Options of a {@link Subject}.
 *
 * @example
 * ```ts
 * const subject = new Subject<number>({ maxDepth: 4 });
 * ```
 */
export interface SubjectOptions {
  /**
   * How many rounds of `notify()` may be nested (an observer notifying the subject it observes)
   * before the next one throws a {@link RecursionLimitError}. A positive integer, or `Infinity`
   * for no limit. Default: {@link DEFAULT_MAX_DEPTH}.
   */
  readonly maxDepth?: number;
  /**
   * Whether rounds run through a compiled function: one with a separate call site per observer,
   * which the JavaScript engine can inline, as tseep does. Observable behaviour is the same either
   * way. `"auto"` (default) compiles a list of at most {@link MAX_COMPILED_OBSERVERS} observers
   * once it has stayed unchanged for {@link COMPILE_AFTER_ROUNDS} rounds, so observer churn never
   * pays for compiling; `"eager"` compiles at the first round after every change; `"off"` never
   * compiles. Where code generation is forbidden (a Content Security Policy,
   * `--disallow-code-generation-from-strings`), rounds quietly stay uncompiled.
   */
  readonly compile?: "auto" | "eager" | "off";
}

/**
 * Options of {@link Subject.attach}.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * subject.attach(widget, { weak: true, signal: controller.signal });
 * controller.abort(); // detaches the widget
 * subject.attach(showWelcome, { once: true }); // called by the next notify() only
 * ```
 */
export interface AttachOptions {
  /**
   * Hold the observer through a `WeakRef`: the subject alone does not keep it alive, and once it
   * is garbage-collected it is detached. Something else must hold it meanwhile; an inline arrow
   * function attached weakly can vanish at the next collection.
   */
  readonly weak?: boolean;
  /** Detach the observer when this signal aborts. An already aborted signal attaches nothing. */
  readonly signal?: AbortSignal;
  /**
   * Detach the observer just before its first call, as `EventTarget`'s `once` and Node's
   * `once()` do: it is called at most once, even if it throws or notifies the subject again.
   */
  readonly once?: boolean;
}
// #endregion types

/**
 * The default {@link SubjectOptions.maxDepth}: deep enough for any sane chain of observers that
 * notify in turn, shallow enough to stop a runaway loop long before the stack overflows.
 *
 * @example
 * ```ts
 * new Subject<number>().maxDepth === DEFAULT_MAX_DEPTH; // true
 * ```
 */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * With `compile: "auto"`, how many rounds an observer list must stay unchanged before it is
 * compiled (see {@link SubjectOptions.compile}).
 *
 * @example
 * ```ts
 * for (let i = 0; i < COMPILE_AFTER_ROUNDS; i++) subject.notify(i); // now compiled
 * ```
 */
export const COMPILE_AFTER_ROUNDS = 16;

/**
 * The largest observer list that is compiled (see {@link SubjectOptions.compile}); longer lists
 * run through the loop, where one more call site would no longer pay for itself.
 *
 * @example
 * ```ts
 * new Subject<number>({ compile: "eager" }); // compiles lists of up to MAX_COMPILED_OBSERVERS
 * ```
 */
export const MAX_COMPILED_OBSERVERS = 256;

// #region errors
/**
 * One observer's failure during a round of {@link Subject.notify}: the original error is the
 * `cause`, the observer that threw is `observer`. Rounds report these together, in attach order,
 * as the `errors` of an `AggregateError` thrown after every observer has run.
 *
 * @example
 * ```ts
 * try {
 *   subject.notify(article);
 * } catch (error) {
 *   if (!(error instanceof AggregateError)) throw error;
 *   for (const failure of error.errors as ObserverError[]) console.error(failure.message, failure.cause);
 * }
 * ```
 */
export class ObserverError<O = Observer<never>> extends Error {
  override readonly name = "ObserverError";
  /** The observer that threw (a weak one is held again, strongly, by this error). */
  readonly observer: O;

  /**
   * @param observer The observer that threw.
   * @param cause What it threw.
   * @param method The method that threw, when the observer is an object (`update` by default).
   */
  constructor(observer: O, cause: unknown, method = "update") {
    super(`${describeObserver(observer, method)} threw: ${describeError(cause)}`, { cause });
    this.observer = observer;
  }
}

/**
 * Thrown by a {@link Subject.notify} nested deeper than the subject's `maxDepth`: an observer that
 * notifies the subject it observes, unconditionally, would otherwise recurse until the stack
 * overflows. It is a bug, not an observer's failure, so it is never wrapped in an
 * `AggregateError`: it unwinds every enclosing round at once, as a stack overflow would.
 *
 * @example
 * ```ts
 * const counter = new Subject<number>({ maxDepth: 8 });
 * counter.attach((n) => counter.notify(n + 1)); // never stops by itself
 * counter.notify(0); // throws RecursionLimitError after 8 nested rounds
 * ```
 */
export class RecursionLimitError extends Error {
  override readonly name = "RecursionLimitError";

  constructor(readonly maxDepth: number) {
    super(
      `notify() was nested more than ${maxDepth} rounds deep: an observer keeps notifying the ` +
        "subject it observes (raise maxDepth if the depth is intended)",
    );
  }
}
// #endregion errors

// #region entry
/**
 * One attached observer. `fn` is what a round calls: the observer itself, or a small function that
 * calls its `update()` (or, for a weak one, dereferences it first; for a `once` one, detaches it
 * first), so a round's call site is always a plain function call. `live` turns false on detach: a round already under way checks it
 * before each call, which is how a detached observer is skipped for the rest of that round.
 */
class Entry<T> {
  live = true;
  /** Undoes the `signal` subscription, if there is one. */
  unlisten: (() => void) | undefined = undefined;

  constructor(
    readonly fn: (value: T) => void,
    /** The observer, held strongly, or `undefined` for a weak entry. */
    readonly strong: Observer<T> | undefined,
    /** The observer, held weakly, or `undefined` for a strong entry. */
    readonly weak: WeakRef<Observer<T>> | undefined,
  ) {}

  /** The observer, or `undefined` if it was weak and has been collected. */
  observer(): Observer<T> | undefined {
    return this.strong ?? this.weak?.deref();
  }
}

const callUpdate =
  <T>(observer: ObserverObject<T>) =>
  (value: T): void => {
    observer.update(value);
  };

// Built outside attach(), as callWeak: the wrapper holds the detacher and the call, nothing else.
const callOnce =
  <T>(call: (value: T) => void, detach: () => boolean) =>
  (value: T): void => {
    detach();
    call(value);
  };

// Built in its own function so that the closure captures the WeakRef and nothing else: a closure
// created inside attach() would share attach()'s scope, and with it a strong `observer`.
const callWeak =
  <T>(ref: WeakRef<Observer<T>>) =>
  (value: T): void => {
    const observer = ref.deref();
    if (observer === undefined) return; // collected; the FinalizationRegistry will detach it
    if (typeof observer === "function") observer(value);
    else observer.update(value);
  };
// #endregion entry

// #region round
/** Records one observer's failure. A RecursionLimitError is a bug, not a failure: it unwinds. */
function fail<T>(
  failures: ObserverError[] | undefined,
  entry: Entry<T>,
  error: unknown,
): ObserverError[] {
  if (error instanceof RecursionLimitError) throw error;
  // Allocated on the first failure only: a round where nothing throws allocates nothing.
  const list = failures ?? [];
  list.push(new ObserverError(entry.observer() ?? entry.fn, error));
  return list;
}

/** What a round that had failures throws: every failure, in attach order, once all observers ran. */
function observersFailed(failures: readonly ObserverError[], observers: number): AggregateError {
  return new AggregateError(
    failures,
    `${failures.length} of ${observers} observers failed during notify(); every observer ran`,
  );
}

/** One round, as a loop: calls every live entry of `list`, collecting failures. */
function runRound<T>(
  list: readonly Entry<T>[],
  value: T,
  from = 0,
  failures?: ObserverError[],
): ObserverError[] | undefined {
  for (let i = from; i < list.length; i++) {
    const entry = list[i] as Entry<T>;
    if (!entry.live) continue; // detached earlier in this round
    const fn = entry.fn; // called bare, so `this` is undefined, not the entry
    try {
      fn(value);
    } catch (error) {
      failures = fail(failures, entry, error);
    }
  }
  return failures;
}
// #endregion round

// #region compiled
/** A compiled round: throws the AggregateError of its failures itself, if any. */
type Round<T> = (value: T) => void;

let codeGeneration = true;

/** Rounds an unchanged list waits before it is compiled, per {@link SubjectOptions.compile}. */
const COMPILE_AFTER = { auto: COMPILE_AFTER_ROUNDS, eager: 1, off: Number.POSITIVE_INFINITY };

/**
 * The same round as {@link runRound}, unrolled: one call site per entry. A loop's single call site
 * sees every observer and becomes megamorphic, so the engine cannot inline any of them; unrolled,
 * each site sees one function. The first entry needs no `live` check: the round is discarded
 * whenever the list changes, so at its start every entry is live, and only an observer of this
 * round can detach a later one. Returns `undefined` where code generation is forbidden.
 */
function compileRound<T>(list: readonly Entry<T>[]): Round<T> | undefined {
  if (!codeGeneration) return undefined;
  // const f0 = e0.fn; … then `f0(value);` and `at = i; if (ei.live) fi(value);` (fn never changes).
  // One try around every call, not one per call: a try per call keeps the engine from merging
  // the inlined observers, and costs about a third of the round. On a throw, the loop finishes
  // the round from the next observer, so every observer still runs.
  const fns = list.map((_, i) => `const f${i} = e${i}.fn;`).join("\n");
  const calls = list.map((_, i) =>
    i === 0 ? "f0(value);" : `at = ${i}; if (e${i}.live) f${i}(value);`,
  );
  const code = `"use strict";\n${fns}\nreturn function round(value) {\nlet at = 0;\ntry {\n${calls.join("\n")}\n} catch (error) {\nthrow failed(runRound(list, value, at + 1, fail(undefined, list[at], error)), list.length);\n}\n};`;
  // A copy: the round never shares the subject's array, which attach and detach change in place
  // when no loop round is under way (its catch block walks this copy from the failed observer on).
  const entries = list.slice();
  try {
    const args = ["fail", "runRound", "failed", "list", ...list.map((_, i) => `e${i}`)];
    return new Function(...args, code)(
      fail,
      runRound,
      observersFailed,
      entries,
      ...entries,
    ) as Round<T>;
  } catch {
    codeGeneration = false; // EvalError: a CSP or --disallow-code-generation-from-strings
    return undefined;
  }
}
// #endregion compiled

/**
 * A subject that observers attach to and that notifies them, synchronously, in attach order.
 *
 * - Every observer runs even when some throw; the failures are thrown together after the round as
 *   an `AggregateError` of {@link ObserverError}s.
 * - An observer detached during a round is not called later in that round; one attached during a
 *   round is first called in the next round (a nested `notify()` counts as a next round).
 * - A `notify()` from inside an observer runs a nested round at once, depth-first; nesting beyond
 *   `maxDepth` throws a {@link RecursionLimitError}.
 * - Attaching an attached observer again changes nothing; detaching an unknown one is a no-op.
 *
 * @example
 * ```ts
 * const headlines = new Subject<string>();
 * const stop = headlines.attach((headline) => console.log("email:", headline));
 * headlines.attach({ update: (headline) => console.log("sms:", headline) });
 * headlines.notify("Observer pattern explained"); // email: …, then sms: …
 * stop(); // detaches the e-mail observer
 * ```
 */
export class Subject<T> {
  /** See {@link SubjectOptions.maxDepth}. */
  readonly maxDepth: number;
  readonly #compileAfter: number;

  // #region state
  /** The attached observers, in attach order. Only live entries are in it. */
  #list: Entry<T>[] = [];
  /**
   * True while a round may be iterating `#list`: attach and detach then replace the array instead
   * of changing it (copy on write), so a round never sees its array move under it. Copying only
   * when a round is under way keeps notify free of allocations.
   */
  #shared = false;
  /**
   * No round is under way. A boolean rather than `#depth === 0`: notify's hot path reads it, and a
   * small-integer field is read back as 32 bits right after a 64-bit write, which the CPU cannot
   * forward from its store buffer (measured: a quarter slower than a boolean).
   */
  #idle = true;
  /** How many rounds are under way inside the outermost one. */
  #nested = 0;
  /** Each strong observer's entry, for attach's duplicate check and detach in constant time. */
  readonly #strongIndex = new Map<Observer<T>, Entry<T>>();
  /** The same for weak observers: a WeakMap, which keeps no observer alive. */
  #weakIndex: WeakMap<Observer<T>, Entry<T>> | undefined;
  /** The compiled round for `#list` as it is, if any; every change discards it. */
  #compiled: Round<T> | undefined;
  /** Rounds since `#list` last changed, counted until it is compiled. */
  #stableRounds = 0;
  #registry: FinalizationRegistry<Entry<T>> | undefined;
  // #endregion state

  /**
   * @param options See {@link SubjectOptions}.
   * @throws TypeError if `maxDepth` is not a number or `compile` not one of its values.
   * @throws RangeError if `maxDepth` is not a positive integer or `Infinity`.
   */
  constructor(options: SubjectOptions = {}) {
    const { maxDepth = DEFAULT_MAX_DEPTH, compile = "auto" } = options;
    if (typeof maxDepth !== "number") {
      throw new TypeError(`\`maxDepth\` must be a number, got ${describeValue(maxDepth)}`);
    }
    if (!(Number.isInteger(maxDepth) || maxDepth === Number.POSITIVE_INFINITY) || maxDepth < 1) {
      throw new RangeError(
        `\`maxDepth\` must be a positive integer or Infinity, got ${describeValue(maxDepth)}`,
      );
    }
    if (typeof compile !== "string" || !Object.hasOwn(COMPILE_AFTER, compile)) {
      throw new TypeError(
        `\`compile\` must be "auto", "eager" or "off", got ${describeValue(compile)}`,
      );
    }
    this.maxDepth = maxDepth;
    this.#compileAfter = COMPILE_AFTER[compile];
  }

  // #region attach
  /**
   * Attaches an observer; it is notified from the next round on, after those attached before it.
   * Attaching an observer that is already attached changes nothing (not its place, not its
   * weakness, not whether it is `once`) and returns the same detacher.
   *
   * @returns A function that detaches this observer and returns whether it did (true once).
   * @throws TypeError if `observer` is neither a function nor an object with an `update()` method,
   * `options.signal` is not an AbortSignal, or `options.weak` or `options.once` not a boolean.
   *
   * @example
   * ```ts
   * const detach = subject.attach((value) => console.log(value));
   * detach(); // true; calling it again returns false
   * ```
   */
  attach(observer: Observer<T>, options: AttachOptions = {}): () => boolean {
    if (!isObserver(observer)) {
      throw new TypeError(
        `\`observer\` must be a function or an object with an update() method, got ${describeCandidate(observer)}`,
      );
    }
    const { weak = false, signal, once = false } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(
        `\`options.signal\` must be an AbortSignal, got ${describeValue(signal)}`,
      );
    }
    checkFlag("weak", weak);
    checkFlag("once", once);
    const existing = this.#find(observer);
    if (existing !== undefined) return () => this.#remove(existing);
    if (signal?.aborted) return () => false;

    let entry: Entry<T>;
    const detach = () => this.#remove(entry);
    const ref = weak ? new WeakRef(observer) : undefined;
    let call =
      ref !== undefined
        ? callWeak(ref)
        : typeof observer === "function"
          ? observer
          : callUpdate(observer);
    if (once) call = callOnce(call, detach);
    entry = new Entry(call, ref === undefined ? observer : undefined, ref);
    if (ref !== undefined) {
      // Held value and unregister token are the entry, never the observer: a registry holds its
      // held values strongly, and would keep the observer alive forever.
      this.#weakRegistry().register(observer, entry, entry);
      this.#weakIndex ??= new WeakMap();
      this.#weakIndex.set(observer, entry);
    } else {
      this.#strongIndex.set(observer, entry);
    }
    if (signal !== undefined) {
      signal.addEventListener("abort", detach, { once: true });
      entry.unlisten = () => signal.removeEventListener("abort", detach);
    }
    this.#changing().push(entry);
    return detach;
  }
  // #endregion attach

  /**
   * Detaches an observer. If a round is under way, the observer is not called later in it.
   *
   * @returns Whether it was attached; detaching an unknown observer is a no-op that returns false.
   *
   * @example
   * ```ts
   * subject.detach(observer); // true
   * subject.detach(observer); // false: already gone
   * ```
   */
  detach(observer: Observer<T>): boolean {
    const entry = this.#find(observer);
    return entry === undefined ? false : this.#remove(entry);
  }

  /**
   * Whether an observer is attached (a weak one that has been collected is not).
   *
   * @example
   * ```ts
   * subject.attach(observer);
   * subject.has(observer); // true
   * ```
   */
  has(observer: Observer<T>): boolean {
    return this.#find(observer) !== undefined;
  }

  /**
   * How many observers are attached (weak ones that have been collected are not counted).
   *
   * @example
   * ```ts
   * new Subject<number>().size; // 0
   * ```
   */
  get size(): number {
    let count = 0;
    for (const entry of this.#list) if (entry.observer() !== undefined) count++;
    return count;
  }

  /**
   * Detaches every observer. A round under way calls none of them after this.
   *
   * @example
   * ```ts
   * subject.clear();
   * subject.size; // 0
   * ```
   */
  clear(): void {
    const list = this.#list;
    this.#list = [];
    this.#shared = false;
    this.#compiled = undefined;
    this.#stableRounds = 0;
    for (const entry of list) this.#retire(entry);
  }

  // #region notify
  /**
   * Notifies every attached observer of `value`, in attach order. Every observer runs even when
   * some throw; afterwards, if any threw, throws an `AggregateError` whose `errors` are
   * {@link ObserverError}s in attach order.
   *
   * @throws AggregateError of {@link ObserverError}s, after the round, if observers threw.
   * @throws RecursionLimitError if nested more than `maxDepth` rounds deep.
   *
   * @example
   * ```ts
   * subject.notify({ celsius: 23.5 });
   * ```
   */
  notify(value: T): void {
    const compiled = this.#compiled;
    // `=== true`, not a bare truthiness test: the engine tracks a field as "some object", not as
    // a boolean, so a bare test of it compiles to a full ToBoolean (strings, numbers, bigints…).
    if (compiled !== undefined && this.#idle === true) {
      // The hot path, small enough for the engine to inline into the caller: an outermost round
      // of a compiled list, which throws its own AggregateError. catch-and-rethrow rather than
      // finally: a finally block saves and restores the engine's pending message on every call.
      this.#idle = false;
      try {
        compiled(value);
      } catch (error) {
        this.#idle = true;
        throw error;
      }
      this.#idle = true;
      return;
    }
    this.#notifyNestedOrLooped(value);
  }

  /** Every other round: a nested one, or one of a list not (yet) compiled. */
  #notifyNestedOrLooped(value: T): void {
    // The array as it is now: while #shared is set, attach and detach copy instead of changing it.
    const list = this.#list;
    if (list.length === 0) return;
    const outermost = this.#idle;
    const nested = this.#nested;
    // Rounds under way: none, or the outermost and those nested in it.
    if (!outermost && nested + 1 >= this.maxDepth) throw new RecursionLimitError(this.maxDepth);
    const compiled = this.#compiled ?? this.#warmUp(list);
    if (outermost) this.#idle = false;
    else this.#nested = nested + 1;
    let failures: ObserverError[] | undefined;
    try {
      // A compiled round holds its own entries and never reads #list: no need to share it.
      if (compiled !== undefined) compiled(value);
      else {
        this.#shared = true;
        failures = runRound(list, value);
      }
    } finally {
      if (outermost) {
        this.#idle = true;
        // No round iterates #list any more. (After an outermost compiled round, a nested loop
        // round may leave #shared set: the next change then makes one needless copy.)
        this.#shared = false;
      } else this.#nested = nested;
    }
    if (failures !== undefined) throw observersFailed(failures, list.length);
  }
  // #endregion notify

  /** Counts a round of an unchanged list, and compiles the list once it has earned it. */
  #warmUp(list: readonly Entry<T>[]): Round<T> | undefined {
    if (++this.#stableRounds < this.#compileAfter || list.length > MAX_COMPILED_OBSERVERS) {
      return undefined;
    }
    this.#compiled = compileRound(list);
    if (this.#compiled === undefined) this.#stableRounds = Number.NEGATIVE_INFINITY; // never again
    return this.#compiled;
  }

  /** The list, ready to be changed: copied first if a round may be iterating it. */
  #changing(): Entry<T>[] {
    this.#compiled = undefined;
    this.#stableRounds = 0;
    if (this.#shared) {
      this.#list = this.#list.slice();
      this.#shared = false;
    }
    return this.#list;
  }

  #find(observer: unknown): Entry<T> | undefined {
    // A WeakMap answers undefined for a key that cannot be one (null, a number): no check needed.
    const key = observer as Observer<T>;
    return this.#strongIndex.get(key) ?? this.#weakIndex?.get(key);
  }

  // #region remove
  #remove(entry: Entry<T>): boolean {
    if (!entry.live) return false;
    const list = this.#changing();
    const index = list.indexOf(entry); // a live entry is always in the list
    // The last one (a view that comes and goes) is popped: splice() allocates what it removes.
    if (index === list.length - 1) list.pop();
    else list.splice(index, 1);
    this.#retire(entry);
    return true;
  }

  /** Marks an entry dead (rounds under way skip it) and lets go of its registrations. */
  #retire(entry: Entry<T>): void {
    entry.live = false;
    if (entry.strong !== undefined) this.#strongIndex.delete(entry.strong);
    const observer = entry.weak?.deref(); // undefined once collected: then its key is gone too
    if (observer !== undefined) this.#weakIndex?.delete(observer);
    if (entry.weak !== undefined) this.#registry?.unregister(entry);
    entry.unlisten?.();
    entry.unlisten = undefined;
  }
  // #endregion remove

  /** Created on the first weak attach; its callback closes over the subject only. */
  #weakRegistry(): FinalizationRegistry<Entry<T>> {
    this.#registry ??= new FinalizationRegistry((entry) => {
      this.#remove(entry);
    });
    return this.#registry;
  }
}

/** A boolean option, or a TypeError naming it. */
function checkFlag(name: string, value: unknown): void {
  if (typeof value !== "boolean") {
    throw new TypeError(`\`options.${name}\` must be a boolean, got ${describeValue(value)}`);
  }
}

function isObserver(value: unknown): value is Observer<never> {
  return (
    typeof value === "function" ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as { update?: unknown }).update === "function")
  );
}

/** How an observer is named in error messages: `EmailSubscriber.update()`, `logHeadline()`. */
function describeObserver(observer: unknown, method: string): string {
  if (typeof observer === "function") return `observer ${observer.name || "(anonymous)"}()`;
  const name =
    typeof observer === "object" && observer !== null
      ? Object.getPrototypeOf(observer)?.constructor?.name
      : undefined;
  return `observer ${name && name !== "Object" ? name : "{ … }"}.${method}()`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : describeValue(error);
}

/** A short, safe description of any value for an error message. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return `the string ${JSON.stringify(value)}`;
    case "number":
    case "bigint":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    case "symbol":
      return String(value);
    case "function":
      return "a function";
    default: {
      if (Array.isArray(value)) return "an array";
      const name = Object.getPrototypeOf(value)?.constructor?.name;
      return name && name !== "Object" ? `a ${name}` : "an object";
    }
  }
}

/** Like describeValue, but says what an object lacks to be an observer. */
function describeCandidate(value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return describeValue(value);
  }
  return "update" in value
    ? `${describeValue(value)} whose update is not a function`
    : `${describeValue(value)} with no update() method`;
}
