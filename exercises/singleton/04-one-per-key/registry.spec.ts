import fc from "fast-check";
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

  it.each([0, "", false, null, undefined, Number.NaN])(
    "keeps a falsy instance (%j) instead of creating it again",
    (falsy) => {
      const counters = vi.fn((_page: string): unknown => falsy);
      const hits = new Registry(counters);

      const first = hits.get("home");
      const second = hits.get("home");

      expect(counters).toHaveBeenCalledTimes(1);
      expect(Object.is(first, falsy)).toBe(true);
      expect(Object.is(second, falsy)).toBe(true);
    },
  );

  it("keeps two keys that look alike but are different objects apart", () => {
    const acme = { tenant: "acme" };
    const lookalike = { tenant: "acme" };
    const byTenant = new Registry((key: { tenant: string }) => ({ key }));

    const first = byTenant.get(acme);

    expect(byTenant.get(lookalike)).not.toBe(first);
    expect(byTenant.get(acme)).toBe(first);
    expect(byTenant.size).toBe(2);
  });

  it("keeps nothing for a key whose creation throws: the next get() tries again", () => {
    const flaky = vi.fn((tenant: string) => {
      if (flaky.mock.calls.length === 1) throw new Error(`cannot reach ${tenant}`);
      return { tenant };
    });
    const registry = new Registry(flaky);

    expect(() => registry.get("acme")).toThrow("cannot reach acme");
    expect(registry.has("acme")).toBe(false);
    expect(registry.size).toBe(0);
    expect(registry.get("acme")).toEqual({ tenant: "acme" });
  });
});

describe("an error thrown by create", () => {
  it("reaches the caller as it was thrown: the same object, not a copy or a wrapper", () => {
    const failure = new Error("cannot reach acme");
    const registry = new Registry((_tenant: string): TenantDb => {
      throw failure;
    });

    let caught: unknown;
    try {
      registry.get("acme");
    } catch (error) {
      caught = error;
    }

    expect(caught).toBe(failure);
  });

  it("reaches the caller even when it is not an Error (undefined included)", () => {
    const registry = new Registry((_tenant: string): TenantDb => {
      throw undefined;
    });

    let threw = false;
    try {
      registry.get("acme");
    } catch (error) {
      threw = error === undefined;
    }

    expect(threw).toBe(true);
    expect(registry.has("acme")).toBe(false);
  });
});

describe("has(key)", () => {
  it("tells whether a key has an instance, without creating one", () => {
    expect(databases.has("acme")).toBe(false);
    expect(create).not.toHaveBeenCalled();

    databases.get("acme");

    expect(databases.has("acme")).toBe(true);
  });

  it.each([0, "", false, null, undefined])(
    "is true for a key whose instance is %j, and size counts it",
    (falsy) => {
      const registry = new Registry((_key: string): unknown => falsy);

      registry.get("home");

      expect(registry.has("home")).toBe(true);
      expect(registry.size).toBe(1);
      expect(registry.delete("home")).toBe(true);
      expect(registry.has("home")).toBe(false);
    },
  );
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

describe("any sequence of get, has and delete", () => {
  const acme = { tenant: "acme" };
  const lookalike = { tenant: "acme" };
  const keys: readonly unknown[] = [
    1,
    "1",
    0,
    "",
    "constructor",
    "toString",
    "__proto__",
    acme,
    lookalike,
  ];
  const made: readonly unknown[] = [0, "", false, null, undefined, "object"];

  it("behaves like a Map that creates each missing key's instance once", () => {
    const operation = fc.record({
      op: fc.constantFrom("get", "has", "delete"),
      key: fc.constantFrom(...keys),
    });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...made), { minLength: keys.length, maxLength: keys.length }),
        fc.array(operation, { maxLength: 30 }),
        (kinds, operations) => {
          const instanceFor = (key: unknown): unknown => {
            const kind = kinds[keys.indexOf(key)];
            return kind === "object" ? { key } : kind;
          };
          const create = vi.fn(instanceFor);
          const registry = new Registry<unknown, unknown>(create);
          const model = new Map<unknown, unknown>();

          for (const { op, key } of operations) {
            const calls = create.mock.calls.length;
            if (op === "get") {
              const instance = registry.get(key);
              if (model.has(key)) {
                expect(Object.is(instance, model.get(key))).toBe(true);
                expect(create.mock.calls.length).toBe(calls);
              } else {
                expect(create.mock.calls.length).toBe(calls + 1);
                expect(create.mock.lastCall).toEqual([key]);
                expect(create.mock.results.at(-1)?.value).toBe(instance);
                model.set(key, instance);
              }
            } else if (op === "has") {
              expect(registry.has(key)).toBe(model.has(key));
            } else {
              expect(registry.delete(key)).toBe(model.delete(key));
            }
            if (op !== "get") expect(create.mock.calls.length).toBe(calls);
            expect(registry.size).toBe(model.size);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
