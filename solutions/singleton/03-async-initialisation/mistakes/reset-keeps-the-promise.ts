// Mistake: two variables, the pool for the fast path and the promise for single flight, and a
// reset that clears only the first. The next getPool() finds the old settled promise and hands
// back the old pool without connecting.
// Caught by "makes the next call connect again" and "also forgets a connection still in flight".
export * from "../pool";

import { Pool } from "../pool";

let pool: Pool | undefined;
let pending: Promise<Pool> | undefined;

export function getPool(): Promise<Pool> {
  if (pool !== undefined) return Promise.resolve(pool);
  pending ??= Pool.connect().then(
    (connected) => {
      pool = connected;
      return connected;
    },
    (error: unknown) => {
      pending = undefined;
      throw error;
    },
  );
  return pending;
}

export function resetPool(): void {
  pool = undefined;
}
