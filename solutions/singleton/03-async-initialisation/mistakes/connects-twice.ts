// Mistake: caching the pool instead of the promise of it. Until the first connection finishes
// there is nothing cached, so every caller that arrives meanwhile opens a connection of its own.
// Caught by "share one connection attempt" and "all resolve with the same pool".
export * from "../pool";

import { Pool } from "../pool";

let pool: Pool | undefined;

export async function getPool(): Promise<Pool> {
  if (pool === undefined) pool = await Pool.connect();
  return pool;
}

export function resetPool(): void {
  pool = undefined;
}
