// Mistake: a "connecting" flag instead of a shared promise. The first caller sets it and awaits;
// a caller arriving meanwhile skips the connection but has nothing to wait on, so it resolves at
// once with undefined (and never sees the error if the connection fails).
// Caught by "all resolve with the same pool" and "rejects every waiting caller with the same
// ConnectionError".
export * from "../pool";

import { Pool } from "../pool";

let pool: Pool | undefined;
let connecting = false;

export async function getPool(): Promise<Pool> {
  if (pool === undefined && !connecting) {
    connecting = true;
    try {
      pool = await Pool.connect();
    } finally {
      connecting = false;
    }
  }
  return pool as Pool;
}

export function resetPool(): void {
  pool = undefined;
  connecting = false;
}
