// Mistake: "robust" by retrying inside getPool() until the connection succeeds. While the
// database is down, callers wait forever instead of seeing the error, and the loop hammers the
// server with connection attempts.
// Caught by "rejects every waiting caller with the same ConnectionError".
export * from "../pool";

import { Pool } from "../pool";

let pending: Promise<Pool> | undefined;

export async function getPool(): Promise<Pool> {
  for (;;) {
    pending ??= Pool.connect();
    try {
      return await pending;
    } catch {
      pending = undefined;
    }
  }
}

export function resetPool(): void {
  pending = undefined;
}
