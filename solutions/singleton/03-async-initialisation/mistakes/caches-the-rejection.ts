// Mistake: single flight done right, but a failed attempt is kept like a good one: once the
// database has been down, every later call rejects with the same old error, forever.
// Caught by "is not cached: the next call connects again and can succeed".
export * from "../pool";

import { Pool } from "../pool";

let pending: Promise<Pool> | undefined;

export function getPool(): Promise<Pool> {
  pending ??= Pool.connect();
  return pending;
}

export function resetPool(): void {
  pending = undefined;
}
