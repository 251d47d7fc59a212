// Approach: A reusable AsyncOnce class around the cached promise
//
// - Gains: the two subtle rules (share the attempt in flight; forget a failure only if it is
//   still the current attempt) live in one small class with a name, reusable for every
//   async-initialised resource (a pool, a client, a schema), each in its own instance.
// - Costs: a class and an instance for one variable; a reader follows getPool() into it. The
//   answer key's two module functions say the same in fewer lines when there is one resource.

// The given code is the answer key's; what follows is this approach's own.
import { CONNECT_DELAY_MS, ConnectionError } from "../pool";

export { CONNECT_DELAY_MS, ConnectionError };

/** The simulated database server. Specs take it offline and count connection attempts. */
export const database = { online: true, connectionAttempts: 0 };

/** A pool of database connections. Only `Pool.connect()` makes one, and that takes a round trip. */
export class Pool {
  private constructor(readonly attempt: number) {}

  /** Resolves after CONNECT_DELAY_MS, or rejects with a ConnectionError if the database is offline. */
  static connect(): Promise<Pool> {
    const attempt = ++database.connectionAttempts;
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        if (database.online) resolve(new Pool(attempt));
        else reject(new ConnectionError(`connection attempt ${attempt} refused: database offline`));
      }, CONNECT_DELAY_MS);
    });
  }

  /** Runs a query (simulated: it echoes the query and the connection attempt that made the pool). */
  query(sql: string): string {
    return `[pool #${this.attempt}] ${sql}`;
  }
}

/** Runs `start` once and shares its promise; a rejected attempt is forgotten so the next get() retries. */
class AsyncOnce<T> {
  #pending: Promise<T> | undefined;

  constructor(private readonly start: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.#pending === undefined) {
      const attempt = this.start();
      this.#pending = attempt;
      // Identity, not a flag: a reset may have replaced this attempt while it was in flight.
      attempt.catch(() => {
        if (this.#pending === attempt) this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  reset(): void {
    this.#pending = undefined;
  }
}

const pool = new AsyncOnce(() => Pool.connect());

/**
 * The one Pool, connected on the first call. Concurrent first callers share one connection
 * attempt; a failed attempt rejects all of them with its error and is not kept, so the next
 * call tries again.
 */
export function getPool(): Promise<Pool> {
  return pool.get();
}

/** For tests only: forgets the pool and any connection in flight; the next getPool() connects anew. */
export function resetPool(): void {
  pool.reset();
}
