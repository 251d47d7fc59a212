// Mistake: the failure handler forgets "the" pending promise without checking that it is still
// its own. If resetPool() replaced it while it was in flight, the old attempt's failure wipes the
// new attempt, and the next caller connects a third time.
// Caught by "keeps the new attempt when the forgotten one fails afterwards".
export * from "../pool";

import { Pool } from "../pool";

let pending: Promise<Pool> | undefined;

export function getPool(): Promise<Pool> {
  pending ??= Pool.connect().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

export function resetPool(): void {
  pending = undefined;
}
