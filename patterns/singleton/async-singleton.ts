/**
 * `AsyncSingleton`: one instance that takes an `await` to make (a connection pool, a client
 * that must log in). Callers that arrive while it is being made wait on the same initialisation;
 * a failed initialisation is not kept, so the next caller tries again.
 */
import { SingletonCycleError, SingletonResetError, SingletonTimeoutError } from "./errors";
import { badArgument, checkDispose, checkName, MAX_DELAY, optionsObject } from "./internal";

/** Options of {@link AsyncSingleton}. */
export interface AsyncSingletonOptions<T> {
  /** Names the singleton in error messages. Default: `"async singleton"`. */
  readonly name?: string;
  /**
   * Gives up on an initialisation that takes longer than this many milliseconds (above 0, at
   * most 2^31 − 1, the longest a timer can wait): its waiters are rejected with
   * {@link SingletonTimeoutError}, its signal aborts, nothing is kept.
   */
  readonly timeoutMs?: number;
  /**
   * Releases a value nobody will use: the current one on reset(), or one that an abandoned
   * initialisation (reset or timed out) produced anyway. May return a promise.
   */
  readonly dispose?: (value: T) => void | PromiseLike<void>;
}

/** Options of one {@link AsyncSingleton.get} call. */
export interface AsyncGetOptions {
  /**
   * Stops *this caller's* wait, rejecting with the signal's reason. The shared initialisation
   * goes on for the other callers: one impatient request must not cancel everyone's connection.
   */
  readonly signal?: AbortSignal;
}

/** `idle`: nothing made yet (or reset); `pending`: an initialisation is running; `ready`: made. */
export type AsyncSingletonState = "idle" | "pending" | "ready";

/** Makes the value. The signal aborts when the initialisation is abandoned (reset, timeout). */
export type AsyncInit<T> = (signal: AbortSignal) => T | PromiseLike<T>;

interface Flight<T> {
  /** Settles with the initialisation. Callers get promises of their own that follow it. */
  readonly promise: Promise<T>;
  /** Rejects the waiters, aborts the signal and forgets the flight; no-op once settled. */
  readonly abandon: (reason: Error) => void;
}

/**
 * One instance made by an asynchronous initialisation, shared by every caller.
 *
 * - Concurrent first callers share one initialisation (single flight).
 * - A failed (or timed out) initialisation is not kept: every waiter gets its error, and the next
 *   get() starts again.
 * - `reset()` forgets the instance for tests and reconnections, disposing it.
 *
 * @example
 * ```ts
 * const db = new AsyncSingleton((signal) => Pool.connect(DATABASE_URL, { signal }), {
 *   name: "database pool",
 *   timeoutMs: 5_000,
 *   dispose: (pool) => pool.end(),
 * });
 * const pool = await db.get(); // every module awaits the same pool
 * ```
 */
export class AsyncSingleton<T> {
  readonly #init: AsyncInit<T>;
  readonly #name: string;
  readonly #timeoutMs: number | undefined;
  readonly #dispose: ((value: T) => void | PromiseLike<void>) | undefined;

  #ready: { readonly value: T } | undefined;
  #flight: Flight<T> | undefined;
  #starting = false;

  /** @param init Makes the value; called again after a failure or a reset, never concurrently. */
  constructor(init: AsyncInit<T>, options?: AsyncSingletonOptions<T>) {
    if (typeof init !== "function") throw badArgument("init", "a function", init);
    const checked = optionsObject(options);
    const { timeoutMs } = checked;
    // `!(… <= MAX_DELAY)`: NaN fails it too. A longer timer would fire after 1 ms.
    if (
      timeoutMs !== undefined &&
      !(typeof timeoutMs === "number" && timeoutMs > 0 && timeoutMs <= MAX_DELAY)
    ) {
      const Kind = typeof timeoutMs === "number" ? RangeError : TypeError;
      const what = `a number of milliseconds above 0 up to ${MAX_DELAY}`;
      throw badArgument("options.timeoutMs", what, timeoutMs, Kind);
    }
    this.#init = init;
    this.#name = checkName(checked.name, "async singleton");
    this.#timeoutMs = timeoutMs;
    this.#dispose = checkDispose(checked.dispose);
  }

  /** Where the singleton is in its life. */
  get state(): AsyncSingletonState {
    if (this.#ready) return "ready";
    return this.#flight ? "pending" : "idle";
  }

  /** The value if it is ready, without starting anything; otherwise `undefined`. */
  peek(): T | undefined {
    return this.#ready?.value;
  }

  /**
   * The value: at once if ready, else after the initialisation in flight, starting one if none
   * is. Rejects with the initialisation's error (the same error for every waiter), with
   * {@link SingletonTimeoutError}, {@link SingletonResetError}, the signal's reason, or
   * {@link SingletonCycleError} when the initialisation asks for its own singleton.
   */
  get(options?: AsyncGetOptions): Promise<T> {
    let signal: AbortSignal | undefined;
    try {
      signal = optionsObject(options).signal;
      if (signal !== undefined && !isAbortSignal(signal)) {
        throw badArgument("options.signal", "an AbortSignal", signal);
      }
    } catch (error) {
      return Promise.reject(error); // a bad argument rejects, like every other failure
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    // #region single-flight
    if (this.#ready) return Promise.resolve(this.#ready.value);
    // An init that awaits its own singleton would wait for itself forever; catch the common
    // case, a call during init's synchronous part (which includes its first `await` expression).
    if (this.#starting) return Promise.reject(new SingletonCycleError(this.#name));
    // The first caller starts the flight; everyone who comes before it lands joins the same one.
    const flight = this.#flight ?? this.#start();
    return follow(flight.promise, signal);
    // #endregion single-flight
  }

  /**
   * Forgets the value or the initialisation in flight, so that the next get() starts afresh.
   * An abandoned initialisation's waiters are rejected with {@link SingletonResetError} and its
   * signal aborts; a value it still produces is disposed when it arrives (a dispose error there
   * is dropped: nobody is left to receive it). Resolves once the forgotten ready value has been
   * disposed, and rejects if that disposal fails.
   */
  async reset(): Promise<void> {
    const ready = this.#ready;
    this.#ready = undefined;
    this.#flight?.abandon(new SingletonResetError(this.#name));
    if (ready && this.#dispose) await this.#dispose(ready.value);
  }

  #start(): Flight<T> {
    const controller = new AbortController();
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });

    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      if (this.#flight === flight) this.#flight = undefined;
      return true;
    };
    const flight: Flight<T> = {
      promise,
      abandon: (reason) => {
        if (!finish()) return;
        controller.abort(reason);
        reject(reason);
      },
    };
    this.#flight = flight;

    // #region not-cached
    let result: T | PromiseLike<T>;
    this.#starting = true;
    try {
      result = this.#init(controller.signal);
    } catch (error) {
      result = Promise.reject(error); // a synchronous throw is a failed initialisation too
    } finally {
      this.#starting = false;
    }
    Promise.resolve(result).then(
      (value) => {
        if (!finish()) return this.#disposeLate(value); // reset or timed out meanwhile
        this.#ready = { value };
        resolve(value);
      },
      (error: unknown) => {
        // Forgotten by finish(): the next get() starts a new initialisation.
        if (finish()) reject(error);
      },
    );
    // #endregion not-cached

    const timeoutMs = this.#timeoutMs;
    if (timeoutMs !== undefined && !settled) {
      timer = setTimeout(
        () => flight.abandon(new SingletonTimeoutError(this.#name, timeoutMs)),
        timeoutMs,
      );
    }
    return flight;
  }

  #disposeLate(value: T): void {
    if (!this.#dispose) return;
    try {
      Promise.resolve(this.#dispose(value)).catch(() => {});
    } catch {
      // See reset(): a late value's disposal has nobody to report to.
    }
  }
}

/** Whether `value` is an AbortSignal; `false` (not a throw) for a Proxy whose traps throw. */
function isAbortSignal(value: unknown): value is AbortSignal {
  try {
    return value instanceof AbortSignal;
  } catch {
    return false;
  }
}

/** `promise` for one caller: a promise of its own, which stops waiting if `signal` aborts. */
function follow<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!signal) {
      promise.then(resolve, reject);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const detach = () => signal.removeEventListener("abort", onAbort);
    promise.then(
      (value) => {
        detach();
        resolve(value);
      },
      (error: unknown) => {
        detach();
        reject(error);
      },
    );
  });
}
