/** How long the (simulated) database takes to accept a connection. */
export const CONNECT_DELAY_MS = 100;

/** The database refused a connection. */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
}

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

// The promise is the singleton, not the pool: it exists from the first call on, so a second
// caller that arrives while the first is still connecting finds it and waits on the same attempt.
let pending: Promise<Pool> | undefined;

/**
 * The one Pool, connected on the first call. Concurrent first callers share one connection
 * attempt; a failed attempt rejects all of them with its error and is not kept, so the next
 * call tries again.
 */
export function getPool(): Promise<Pool> {
  if (pending === undefined) {
    const attempt = Pool.connect();
    pending = attempt;
    // A rejected promise would reject every later caller forever: forget it. Only if it is still
    // the current one, since resetPool() may have replaced it while it was in flight.
    attempt.catch(() => {
      if (pending === attempt) pending = undefined;
    });
  }
  return pending;
}

/** For tests only: forgets the pool and any connection in flight; the next getPool() connects anew. */
export function resetPool(): void {
  pending = undefined;
}
