import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CONNECT_DELAY_MS, ConnectionError, database, getPool, Pool, resetPool } from "./pool";

/** Watches a promise, so a test can look at its state without awaiting (and hanging on) it. */
function watch<T>(promise: Promise<T>) {
  const seen: { state: "pending" | "fulfilled" | "rejected"; value?: T; reason?: unknown } = {
    state: "pending",
  };
  promise.then(
    (value) => Object.assign(seen, { state: "fulfilled", value }),
    (reason: unknown) => Object.assign(seen, { state: "rejected", reason }),
  );
  return seen;
}

/**
 * The promises of every connection attempt made during `act`, in order: what Pool.connect()
 * itself returned, to compare a caller's error with the attempt's own.
 */
function recordAttempts(): Promise<Pool>[] {
  const attempts: Promise<Pool>[] = [];
  const connect = Pool.connect.bind(Pool);
  vi.spyOn(Pool, "connect").mockImplementation(() => {
    const attempt = connect();
    attempts.push(attempt);
    attempt.catch(() => {});
    return attempt;
  });
  return attempts;
}

/**
 * Forgets the pool between tests. An unwritten resetPool() (the stub's TODO error) is let through
 * here, so that a student sees what each test really checks; its own tests still fail.
 */
function resetIfWritten(): void {
  try {
    resetPool();
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("TODO("))) throw error;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  database.online = true;
  database.connectionAttempts = 0;
  resetIfWritten();
});

afterEach(() => {
  vi.useRealTimers();
  database.online = true;
});

describe("the first getPool()", () => {
  it("connects once and resolves with the pool after the round trip", async () => {
    const first = watch(getPool());

    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(first.state).toBe("fulfilled");
    expect(first.value).toBeInstanceOf(Pool);
    expect(database.connectionAttempts).toBe(1);
  });
});

describe("a freshly loaded module", () => {
  it("connects on the first getPool(), to a database that starts online", async () => {
    vi.resetModules();
    const fresh = await import("./pool");

    const first = watch(fresh.getPool());
    await vi.advanceTimersByTimeAsync(fresh.CONNECT_DELAY_MS);

    expect(first.value).toBeInstanceOf(fresh.Pool);
    expect(fresh.database.connectionAttempts).toBe(1);
  });
});

describe("the pool", () => {
  it("runs queries on the connection it was made with", async () => {
    const pool = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(pool.value?.query("SELECT 1")).toBe("[pool #1] SELECT 1");
  });
});

describe("later calls", () => {
  it("resolve with the same pool without connecting again", async () => {
    const first = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    const later = watch(getPool());
    await vi.advanceTimersByTimeAsync(0);

    expect(later.state).toBe("fulfilled");
    expect(later.value).toBe(first.value);
    expect(database.connectionAttempts).toBe(1);
  });
});

describe("concurrent first calls", () => {
  it("share one connection attempt", () => {
    getPool();
    getPool();
    getPool();

    expect(database.connectionAttempts).toBe(1);
  });

  it("all resolve with the same pool", async () => {
    const callers = [watch(getPool()), watch(getPool()), watch(getPool())];

    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    const [first] = callers;
    expect(first?.value).toBeInstanceOf(Pool);
    for (const caller of callers) {
      expect(caller.state).toBe("fulfilled");
      expect(caller.value).toBe(first?.value);
    }
  });
});

describe("a failed connection", () => {
  beforeEach(() => {
    database.online = false;
  });

  it("rejects every waiting caller with the same ConnectionError", async () => {
    const callers = [watch(getPool()), watch(getPool())];

    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    const [first] = callers;
    expect(first?.reason).toBeInstanceOf(ConnectionError);
    for (const caller of callers) {
      expect(caller.state).toBe("rejected");
      expect(caller.reason).toBe(first?.reason);
    }
    expect(database.connectionAttempts).toBe(1);
  });

  it("rejects with the attempt's own error, not a copy or a wrapper of it", async () => {
    const attempts = recordAttempts();
    const caller = watch(getPool());

    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    const [attempt] = attempts;
    const own = await attempt?.catch((error: unknown) => error);
    expect(attempts).toHaveLength(1);
    expect(caller.state).toBe("rejected");
    expect(caller.reason).toBe(own);
    expect(caller.reason).toMatchObject({
      name: "ConnectionError",
      message: "connection attempt 1 refused: database offline",
    });
  });

  it("is not cached: the next call connects again and can succeed", async () => {
    watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);
    database.online = true;

    const retry = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(retry.state).toBe("fulfilled");
    expect(retry.value).toBeInstanceOf(Pool);
    expect(database.connectionAttempts).toBe(2);
  });
});

describe("after a failed connection", () => {
  it("shares the pool of the retry that succeeded with every later caller", async () => {
    database.online = false;
    watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);
    database.online = true;
    const retry = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    const later = [watch(getPool()), watch(getPool())];
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(retry.value).toBeInstanceOf(Pool);
    for (const caller of later) expect(caller.value).toBe(retry.value);
    expect(database.connectionAttempts).toBe(2);
  });

  it("forgets a second failure too: each failed attempt is followed by a fresh one", async () => {
    database.online = false;
    const first = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);
    const second = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);
    database.online = true;

    const third = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(first.reason).toBeInstanceOf(ConnectionError);
    expect(second.reason).toBeInstanceOf(ConnectionError);
    expect(second.reason).not.toBe(first.reason);
    expect(third.value).toMatchObject({ attempt: 3 });
    expect(database.connectionAttempts).toBe(3);
  });

  it("shares one new attempt among callers arriving together after it", async () => {
    database.online = false;
    watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);
    database.online = true;

    const callers = [watch(getPool()), watch(getPool()), watch(getPool())];
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(database.connectionAttempts).toBe(2);
    for (const caller of callers) expect(caller.value).toMatchObject({ attempt: 2 });
  });
});

describe("resetPool()", () => {
  it("makes the next call connect again", async () => {
    const before = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    resetPool();
    const after = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(database.connectionAttempts).toBe(2);
    expect(after.value).toBeInstanceOf(Pool);
    expect(after.value).not.toBe(before.value);
  });

  it("also forgets a connection still in flight", async () => {
    watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS / 2);

    resetPool();
    const after = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS);

    expect(database.connectionAttempts).toBe(2);
    expect(after.value).toMatchObject({ attempt: 2 });
  });

  it("keeps the new attempt when the forgotten one succeeds afterwards", async () => {
    watch(getPool()); // attempt 1: settles at 100 ms
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS / 2);
    resetPool();
    const current = watch(getPool()); // attempt 2: settles at 150 ms

    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS / 2); // attempt 1 succeeds, forgotten
    const meanwhile = watch(getPool());
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS / 2); // attempt 2 succeeds
    const later = watch(getPool());
    await vi.advanceTimersByTimeAsync(0);

    expect(current.value).toMatchObject({ attempt: 2 });
    expect(meanwhile.value).toBe(current.value);
    expect(later.value).toBe(current.value);
    expect(database.connectionAttempts).toBe(2);
  });

  it("keeps the new attempt when the forgotten one fails afterwards", async () => {
    database.online = false;
    watch(getPool()); // attempt 1: settles at 100 ms
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS / 2);
    resetPool();
    const current = watch(getPool()); // attempt 2: settles at 150 ms

    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS / 2); // attempt 1 fails
    database.online = true;
    await vi.advanceTimersByTimeAsync(CONNECT_DELAY_MS / 2); // attempt 2 succeeds
    const later = watch(getPool());
    await vi.advanceTimersByTimeAsync(0);

    expect(current.state).toBe("fulfilled");
    expect(later.value).toBe(current.value);
    expect(database.connectionAttempts).toBe(2);
  });
});
