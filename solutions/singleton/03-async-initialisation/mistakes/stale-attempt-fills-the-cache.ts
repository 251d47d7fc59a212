// Mistake: a second variable for the fast path, filled by whichever attempt succeeds. After a
// resetPool() while a connection is in flight, the forgotten attempt still lands in that variable
// when it succeeds, and callers arriving before the new attempt finishes get the forgotten pool.
// Caught by "keeps the new attempt when the forgotten one succeeds afterwards".
// Hint: an attempt that resetPool() forgot must change nothing when it settles, success included.
export * from "../pool";

import { Pool } from "../pool";

let pool: Pool | undefined;
let pending: Promise<Pool> | undefined;

export function getPool(): Promise<Pool> {
  if (pool !== undefined) return Promise.resolve(pool);
  if (pending === undefined) {
    const attempt = Pool.connect();
    pending = attempt;
    attempt.then(
      (connected) => {
        pool = connected;
      },
      () => {
        if (pending === attempt) pending = undefined;
      },
    );
  }
  return pending;
}

export function resetPool(): void {
  pool = undefined;
  pending = undefined;
}
