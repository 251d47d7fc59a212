/**
 * A typed Subject for the synchronous Observer pattern: attach, detach, notify, with the edge cases
 * settled (see the lesson, README.md, for why each rule was chosen).
 *
 * @module
 */

import { describe, isRecursionLimit, ObserverError, RecursionLimitError } from "./errors";
import {
  compileRound,
  MAX_COMPILED_OBSERVERS,
  ROUNDS_BEFORE_COMPILING,
  type Round,
  type RoundEntry,
} from "./fast-rounds";

export { ObserverError, RecursionLimitError } from "./errors";

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
   * Whether rounds may run through a compiled function, one call site per observer, as tseep
   * does (see the lesson's "How fast emitters get fast"). Observable behaviour is the same
   * either way. `"auto"` (default) compiles a small list once it has stayed unchanged for a few
   * rounds, so observer churn never pays for compiling; `"eager"` compiles at the first round
   * after every change; `"off"` never compiles. Where code generation is forbidden (a Content
   * Security Policy, `--disallow-code-generation-from-strings`), rounds quietly stay uncompiled.
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

// Below this many entries, attach() finds a duplicate by walking the list, which costs less than
// keeping a Map in step (a set and a delete per attach/detach pair); past it, a Map.
const SCAN_LIMIT = 16;

// Dead entries are dropped in one pass once they outnumber the live ones (and there are more
// than this many): each pass is paid for by the removals since the last one.
const COMPACT_AFTER = 32;

/**
 * Entries visited by sweeps, summed over the process: the instrumented path through which a spec
 * proves that removal is amortised constant time (no wall clock involved). Not exported from
 * `index.ts`.
 *
 * @internal
 * @example
 * ```ts
 * const before = sweepWork.visited; // … detach n observers … then
 * sweepWork.visited - before <= 2 * n; // true
 * ```
 */
export const sweepWork = { visited: 0 };

// #region entry
/**
 * One attached observer. `fn` is what a round calls: the observer itself, or a small function that
 * calls its `update()` (or, for a weak one, dereferences it first), so a round's call site is
 * always a plain function call. `live` turns false on detach: a round under way checks it before
 * each call, which is how a detached observer is skipped for the rest of that round, and the list
 * keeps the dead entry until it is swept. A `once` entry is detached by the round just before
 * its call, through `detach`.
 */
class Entry<T> {
  live = true;
  /** Undoes the `signal` subscription, if there is one. */
  unlisten: (() => void) | undefined = undefined;

  constructor(
    readonly fn: (value: T) => void,
    /** What `attach()` returned, if the entry is `once`; `undefined` otherwise. */
    readonly detach: (() => boolean) | undefined,
    /** The observer, held strongly, or `undefined` for a weak entry. */
    readonly strong: Observer<T> | undefined,
    /** The observer, held weakly, or `undefined` for a strong entry. */
    readonly weak: WeakRef<Observer<T>> | undefined,
  ) {}

  /** The observer, or `undefined` if it was weak and has been collected. */
  observer(): Observer<T> | undefined {
    // Stryker disable next-line OptionalChaining: an entry holds its observer strongly or through `weak`, so `weak` is set whenever `strong` is not
    return this.strong ?? this.weak?.deref();
  }
}

const callUpdate =
  <T>(observer: ObserverObject<T>) =>
  (value: T): void => {
    observer.update(value);
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
  if (isRecursionLimit(error)) throw error;
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

/**
 * One round: calls every live entry of `list` from `from` on, collecting failures. The length is
 * read once: entries attached during the round are pushed past it, and wait for the next round.
 */
function runRound<T>(
  list: readonly Entry<T>[],
  value: T,
  from = 0,
  failures?: ObserverError[],
): ObserverError[] | undefined {
  const end = list.length;
  for (let i = from; i < end; i++) {
    const entry = list[i] as Entry<T>;
    if (!entry.live) continue; // detached, before or during this round
    if (entry.detach !== undefined) entry.detach(); // once: before the call, even if it throws
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

/** How a compiled round that threw finishes: the rest of it runs through the loop. */
function finishCompiled<T>(
  entries: readonly RoundEntry<T>[],
  value: T,
  at: number,
  error: unknown,
): never {
  const list = entries as readonly Entry<T>[];
  const failures = runRound(list, value, at + 1, fail(undefined, list[at] as Entry<T>, error));
  throw observersFailed(failures as ObserverError[], list.length);
}

/**
 * A subject that observers attach to and that notifies them, synchronously, in attach order.
 *
 * - Every observer runs even when some throw, whatever they throw; the failures are thrown
 *   together after the round as an `AggregateError` of {@link ObserverError}s.
 * - An observer detached during a round is not called later in that round; one attached during a
 *   round is first called in the next round (a nested `notify()` counts as a next round).
 * - A `notify()` from inside an observer runs a nested round at once, depth-first; nesting beyond
 *   `maxDepth` throws a {@link RecursionLimitError}.
 * - Attaching an attached observer again changes nothing; detaching an unknown one is a no-op.
 * - Attach and detach take constant time (amortised), however many observers are attached.
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

  // #region state
  /**
   * The entries, in attach order: the live ones, and dead ones (detached) not yet swept. New
   * entries are pushed at the end; nothing else changes the array while a round walks it.
   */
  #list: Entry<T>[] = [];
  /** How many entries of `#list` are dead. */
  #dead = 0;
  /**
   * True while a loop round may be walking `#list`: the array must then neither shrink nor move,
   * so detached entries stay in it (dead) and a sweep works on a copy (copy on write).
   */
  #shared = false;
  /** No round is under way (a boolean, not `depth === 0`: see fast-rounds.ts). */
  #idle = true;
  /** How many rounds are under way inside the outermost one. */
  #nested = 0;
  /** Each strong observer's entry, once the list is too long to scan (see SCAN_LIMIT). */
  #index: Map<Observer<T>, Entry<T>> | undefined;
  /** Each weak observer's entry: a WeakMap, which keeps no observer alive. */
  #weakIndex: WeakMap<Observer<T>, Entry<T>> | undefined;
  #registry: FinalizationRegistry<Entry<T>> | undefined;
  // #endregion state

  // The speed machinery (fast-rounds.ts): the compiled round for `#list` as it is, if any (every
  // change discards it), and the rounds the list has stayed unchanged, counted until it is.
  readonly #compileAfter: number;
  #compiled: Round<T> | undefined;
  #stableRounds = 0;

  /**
   * @param options See {@link SubjectOptions}.
   * @throws TypeError if `options` is not an object, `maxDepth` not a number or `compile` not one
   *   of its values.
   * @throws RangeError if `maxDepth` is not a positive integer or `Infinity`.
   */
  constructor(options: SubjectOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`\`options\` must be an object, got ${describe(options)}`);
    }
    const { maxDepth = DEFAULT_MAX_DEPTH, compile = "auto" } = options;
    if (typeof maxDepth !== "number") {
      throw new TypeError(`\`maxDepth\` must be a number, got ${describe(maxDepth)}`);
    }
    if (!(Number.isInteger(maxDepth) || maxDepth === Number.POSITIVE_INFINITY) || maxDepth < 1) {
      throw new RangeError(
        `\`maxDepth\` must be a positive integer or Infinity, got ${describe(maxDepth)}`,
      );
    }
    if (typeof compile !== "string" || !Object.hasOwn(ROUNDS_BEFORE_COMPILING, compile)) {
      throw new TypeError(`\`compile\` must be "auto", "eager" or "off", got ${describe(compile)}`);
    }
    this.maxDepth = maxDepth;
    this.#compileAfter = ROUNDS_BEFORE_COMPILING[compile];
  }

  // #region attach
  /**
   * Attaches an observer; it is notified from the next round on, after those attached before it.
   * Attaching an observer that is already attached changes nothing (not its place, not its
   * weakness, not whether it is `once`) and returns the same detacher.
   *
   * @returns A function that detaches this observer and returns whether it did (true once).
   * @throws TypeError if `observer` is neither a function nor an object with an `update()` method,
   * `options` is not an object, `options.signal` is not an AbortSignal, or `options.weak` or
   * `options.once` not a boolean.
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
        `\`observer\` must be a function or have an update() method, got ${describeCandidate(observer)}`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`\`options\` must be an object, got ${describe(options)}`);
    }
    const { weak = false, signal, once = false } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`\`options.signal\` must be an AbortSignal, got ${describe(signal)}`);
    }
    checkFlag("weak", weak);
    checkFlag("once", once);
    const existing = this.#find(observer);
    if (existing !== undefined) return () => this.#remove(existing);
    if (signal?.aborted) return () => false;

    let entry: Entry<T>;
    const detach = () => this.#remove(entry);
    const ref = weak ? new WeakRef(observer) : undefined;
    const call =
      ref !== undefined
        ? callWeak(ref)
        : typeof observer === "function"
          ? observer
          : callUpdate(observer);
    entry = new Entry(
      call,
      once ? detach : undefined,
      ref === undefined ? observer : undefined,
      ref,
    );
    if (ref !== undefined) {
      // Held value and unregister token are the entry, never the observer: a registry holds its
      // held values strongly, and would keep the observer alive forever.
      this.#weakRegistry().register(observer, entry, entry);
      this.#weakIndex ??= new WeakMap();
      this.#weakIndex.set(observer, entry);
    } else {
      this.#index?.set(observer, entry);
    }
    if (signal !== undefined) {
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: retiring the entry removes the listener, and a signal aborts at most once
      signal.addEventListener("abort", detach, { once: true });
      entry.unlisten = () => signal.removeEventListener("abort", detach);
    }
    this.#changed();
    // Pushed even while a round walks the list: the round read its length before it started.
    this.#list.push(entry);
    if (this.#index === undefined && this.#list.length > SCAN_LIMIT) this.#buildIndex();
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
    for (const entry of this.#list) if (entry.live && entry.observer() !== undefined) count++;
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
    this.#list = []; // a round under way keeps walking the old array, whose entries are now dead
    this.#dead = 0;
    this.#shared = false;
    this.#index = undefined;
    this.#changed();
    for (const entry of list) if (entry.live) this.#retire(entry);
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
    // The fast path, small enough to be inlined into the caller: an outermost round of a compiled
    // list (fast-rounds.ts, and the lesson, say why `=== true` and catch-and-rethrow).
    if (compiled !== undefined && this.#idle === true) {
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
    this.#round(value);
  }

  /** Every other round: a nested one, or one of a list not (yet) compiled. */
  #round(value: T): void {
    const list = this.#list;
    const observers = list.length - this.#dead;
    if (observers === 0) return; // nobody to notify, whatever the depth
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
        this.#shared = false; // no round walks #list any more
        if (this.#dead > 0) this.#sweep();
      } else this.#nested = nested;
    }
    if (failures !== undefined) throw observersFailed(failures, observers);
  }
  // #endregion notify

  /** Counts a round of an unchanged list, and compiles the list once it has earned it. */
  #warmUp(list: readonly Entry<T>[]): Round<T> | undefined {
    const live = list.length - this.#dead;
    if (++this.#stableRounds < this.#compileAfter || live > MAX_COMPILED_OBSERVERS) {
      return undefined;
    }
    // Undefined where code generation is forbidden: compileRound() then gives up for good, and
    // answers every later call at once.
    this.#compiled = compileRound<T>(list, finishCompiled);
    return this.#compiled;
  }

  /** The list changed: a compiled round of it is stale, and a new one must earn its compiling. */
  #changed(): void {
    this.#compiled = undefined;
    this.#stableRounds = 0;
  }

  #find(observer: unknown): Entry<T> | undefined {
    // A WeakMap answers undefined for a key that cannot be one (null, a number): no check needed.
    const key = observer as Observer<T>;
    const index = this.#index;
    if (index !== undefined) return index.get(key) ?? this.#weakIndex?.get(key);
    for (const entry of this.#list) if (entry.live && entry.strong === key) return entry;
    return this.#weakIndex?.get(key);
  }

  #buildIndex(): void {
    this.#index = new Map();
    for (const entry of this.#list) {
      if (entry.live && entry.strong !== undefined) this.#index.set(entry.strong, entry);
    }
  }

  // #region remove
  /**
   * Detaches an entry in constant time: it is marked dead, where it is, and swept out of the list
   * later, so that no removal searches or shifts the array.
   */
  #remove(entry: Entry<T>): boolean {
    if (!entry.live) return false;
    this.#retire(entry);
    this.#changed();
    this.#dead++;
    this.#sweep();
    return true;
  }

  /**
   * Drops dead entries. Trailing ones go at once (the observer attached last is often the first
   * to leave: a `once`, a view that comes and goes); the others once they outnumber the live
   * ones, in one pass that the removals since the last pass have paid for. While a round walks
   * the list, the pass makes a new array instead (copy on write), and trailing ones wait.
   */
  #sweep(): void {
    let list = this.#list;
    const crowded = this.#dead > COMPACT_AFTER && this.#dead * 2 > list.length;
    if (this.#shared) {
      if (!crowded) return;
      sweepWork.visited += list.length;
      list = [];
      for (const entry of this.#list) if (entry.live) list.push(entry);
      this.#list = list;
      this.#shared = false; // nobody walks the new array yet
      this.#dead = 0;
      return;
    }
    while (this.#dead > 0 && !(list[list.length - 1] as Entry<T>).live) {
      list.pop();
      this.#dead--;
      sweepWork.visited++;
    }
    if (crowded && this.#dead > 0) {
      sweepWork.visited += list.length;
      let kept = 0;
      for (const entry of list) if (entry.live) list[kept++] = entry;
      list.length = kept;
      this.#dead = 0;
    }
    if (list.length === 0) this.#index = undefined; // back to scanning a short list
  }

  /** Marks an entry dead (rounds under way skip it) and lets go of its registrations. */
  #retire(entry: Entry<T>): void {
    entry.live = false;
    const weak = entry.weak;
    if (weak === undefined) this.#index?.delete(entry.strong as Observer<T>);
    else {
      // Once the observer is collected, deref() is undefined and its key is gone already
      // (a WeakMap's delete() of a non-object is a no-op).
      // Stryker disable next-line OptionalChaining: the first weak attach creates #weakIndex, so it exists whenever a weak entry does
      this.#weakIndex?.delete(weak.deref() as Observer<T>);
      this.#weakRegistry().unregister(entry);
    }
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
    throw new TypeError(`\`options.${name}\` must be a boolean, got ${describe(value)}`);
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

/** Like describe, but says what an object lacks to be an observer. */
function describeCandidate(value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return describe(value);
  }
  return "update" in value
    ? `${describe(value)} whose update is not a function`
    : `${describe(value)} with no update() method`;
}
