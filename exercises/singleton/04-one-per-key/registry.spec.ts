import { beforeEach, describe, expect, it, vi } from "vitest";
import { Registry } from "./registry";

interface TenantDb {
  readonly tenant: string;
}

let create: (tenant: string) => TenantDb;
let databases: Registry<string, TenantDb>;

beforeEach(() => {
  create = vi.fn((tenant: string) => ({ tenant }));
  databases = new Registry(create);
});

describe("a new registry", () => {
  it("creates nothing until a key is asked for", () => {
    expect(create).not.toHaveBeenCalled();
    expect(databases.size).toBe(0);
  });
});

describe("get(key)", () => {
  it("creates the instance for a key on first use, passing it the key", () => {
    const acme = databases.get("acme");

    expect(acme).toEqual({ tenant: "acme" });
    expect(create).toHaveBeenCalledExactlyOnceWith("acme");
  });

  it("returns the same instance for the same key without creating again", () => {
    const first = databases.get("acme");

    expect(databases.get("acme")).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("keeps a separate instance for each key", () => {
    const acme = databases.get("acme");
    const globex = databases.get("globex");

    expect(globex).not.toBe(acme);
    expect(globex.tenant).toBe("globex");
    expect(databases.get("acme")).toBe(acme);
    expect(databases.size).toBe(2);
  });

  it("works for keys named like Object.prototype members ('constructor', 'toString')", () => {
    expect(databases.get("constructor")).toEqual({ tenant: "constructor" });
    expect(databases.get("toString")).toEqual({ tenant: "toString" });
  });

  it("keeps keys of different types apart: 1 and '1' are two keys", () => {
    const byId = new Registry((id: number | string) => ({ id }));

    expect(byId.get(1)).not.toBe(byId.get("1"));
    expect(byId.size).toBe(2);
  });

  it("keeps falsy instances (0, '', false) instead of creating them again", () => {
    const counters = vi.fn(() => 0);
    const hits = new Registry(counters);

    hits.get("home");
    hits.get("home");

    expect(counters).toHaveBeenCalledTimes(1);
  });

  it("keeps nothing for a key whose creation throws: the next get() tries again", () => {
    const flaky = vi.fn((tenant: string) => {
      if (flaky.mock.calls.length === 1) throw new Error(`cannot reach ${tenant}`);
      return { tenant };
    });
    const registry = new Registry(flaky);

    expect(() => registry.get("acme")).toThrow("cannot reach acme");
    expect(registry.has("acme")).toBe(false);
    expect(registry.get("acme")).toEqual({ tenant: "acme" });
  });
});

describe("has(key)", () => {
  it("tells whether a key has an instance, without creating one", () => {
    expect(databases.has("acme")).toBe(false);
    expect(create).not.toHaveBeenCalled();

    databases.get("acme");

    expect(databases.has("acme")).toBe(true);
  });
});

describe("delete(key)", () => {
  it("forgets the instance, so the next get() creates a new one", () => {
    const before = databases.get("acme");

    expect(databases.delete("acme")).toBe(true);

    expect(databases.has("acme")).toBe(false);
    expect(databases.get("acme")).not.toBe(before);
    expect(create).toHaveBeenCalledTimes(2);
  });

  it("returns false for a key that has no instance", () => {
    expect(databases.delete("nobody")).toBe(false);
  });

  it("leaves the other keys alone", () => {
    const globex = databases.get("globex");
    databases.get("acme");

    databases.delete("acme");

    expect(databases.get("globex")).toBe(globex);
    expect(databases.size).toBe(1);
  });
});
