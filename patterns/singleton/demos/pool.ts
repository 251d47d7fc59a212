/**
 * Connection pool: concurrent first callers share one connection; a failed connect is retried.
 *
 * `npm run demo pool`. A simulated database with a 200 ms connection round trip. First the race
 * a naive `if (!pool) pool = await connect()` runs into, then `AsyncSingleton`: one connection
 * for concurrent first requests, a failure that every waiter sees and that is not kept, a
 * timeout, and one pool per tenant. Real (short) delays; it stops by itself in about 2 s.
 */
import { setTimeout as sleep } from "node:timers/promises";
import pc from "picocolors";
import { AsyncSingleton } from "../async-singleton";
import { SingletonRegistry } from "../registry";

const started = performance.now();
const log = (text: string) => {
  const ms = String(Math.round(performance.now() - started)).padStart(5);
  console.log(`${pc.dim(`${ms} ms`)}  ${text}`);
};
const heading = (text: string) => console.log(`\n${pc.bold(pc.cyan(text))}`);

/** The simulated database server. */
const server = { online: true, hang: false, connections: 0 };

class Pool {
  constructor(
    readonly id: number,
    readonly database: string,
  ) {}

  query(sql: string): string {
    return `pool #${this.id} (${this.database}) ran ${sql}`;
  }

  async end(): Promise<void> {
    await sleep(20);
    log(pc.yellow(`pool #${this.id} closed`));
  }
}

async function connect(database: string, signal?: AbortSignal): Promise<Pool> {
  const id = ++server.connections;
  log(`→ connecting to ${database} (connection #${id})…`);
  if (server.hang) {
    // A server that accepts the TCP connection and then says nothing: only the abort ends it.
    await new Promise((_, reject) =>
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true }),
    );
  }
  await sleep(200, undefined, { signal });
  if (!server.online) throw new Error(`ECONNREFUSED: ${database} is not accepting connections`);
  log(pc.green(`✓ connected to ${database} (connection #${id})`));
  return new Pool(id, database);
}

// --- 1. The race -------------------------------------------------------------------------------
heading("1. The naive lazy singleton: `if (!pool) pool = await connect()`");
let naive: Pool | undefined;
async function getNaivePool(): Promise<Pool> {
  if (!naive) naive = await connect("app"); // every caller that arrives during the await connects
  return naive;
}
await Promise.all(["GET /users", "GET /orders", "GET /health"].map(async () => getNaivePool()));
log(pc.red(`three concurrent first requests opened ${server.connections} connections`));

// --- 2. Single flight --------------------------------------------------------------------------
heading("2. AsyncSingleton: the promise is shared, so there is one connection");
server.connections = 0;
const db = new AsyncSingleton((signal) => connect("app", signal), {
  name: "app database",
  timeoutMs: 500,
  dispose: (pool) => pool.end(),
});
const handle = async (route: string) => log(`${route}: ${(await db.get()).query("SELECT 1")}`);
await Promise.all(["GET /users", "GET /orders", "GET /health"].map(handle));
await handle("GET /users (later)");
log(`connections opened: ${server.connections}`);

// --- 3. A failed connection --------------------------------------------------------------------
heading("3. The database is down: every waiter gets the same error, and it is not kept");
await db.reset();
server.online = false;
const results = await Promise.allSettled([db.get(), db.get()]);
const [first, second] = results.map((r) => (r.status === "rejected" ? r.reason : undefined));
log(pc.red(`both requests failed: ${(first as Error).message}`));
log(`the same error object for both: ${first === second}; state now: ${db.state}`);
server.online = true;
log("the database is back; the next request connects again:");
await handle("GET /users (retry)");

// --- 4. A hanging connection -------------------------------------------------------------------
heading("4. A connection that hangs: timeoutMs gives up, aborts it, and keeps nothing");
await db.reset();
server.hang = true;
try {
  await db.get();
} catch (error) {
  log(pc.red(`${(error as Error).name}: ${(error as Error).message}`));
}
server.hang = false;
await handle("GET /users (after the timeout)");

// --- 5. One pool per tenant --------------------------------------------------------------------
heading("5. One pool per tenant: a registry of async singletons");
server.connections = 0;
const tenants = new SingletonRegistry(
  (tenant: string) =>
    new AsyncSingleton((signal) => connect(`tenant_${tenant}`, signal), {
      dispose: (pool) => pool.end(),
    }),
  { name: "tenant pools" },
);
await Promise.all(
  ["acme", "globex", "acme", "acme", "globex"].map(async (tenant) => {
    const pool = await tenants.get(tenant).get();
    log(`${tenant}: ${pool.query("SELECT * FROM invoices")}`);
  }),
);
log(`five requests, ${server.connections} connections (one per tenant)`);

heading("Shutting down");
await db.reset();
await Promise.all([...tenants.keys()].map((tenant) => tenants.get(tenant).reset()));
console.log();
