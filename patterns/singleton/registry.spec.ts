import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncSingleton } from "./async-singleton";
import { SingletonCycleError } from "./errors";
import { SingletonRegistry } from "./registry";

describe("get(key)", () => {
  it("creates nothing before the first get(), then one instance per key, given the key", () => {
    const create = vi.fn((tenant: string) => ({ tenant }));
    const pools = new SingletonRegistry(create);
    expect(create).not.toHaveBeenCalled();

    const acme = pools.get("acme");

    expect(acme).toEqual({ tenant: "acme" });
    expect(pools.get("acme")).toBe(acme);
    expect(pools.get("globex")).not.toBe(acme);
    expect(create.mock.calls).toEqual([["acme"], ["globex"]]);
  });

  it("compares keys as a Map does: 1 and '1' differ, NaN equals NaN, objects by identity", () => {
    const registry = new SingletonRegistry((key: unknown) => ({ key }));

    expect(registry.get(1)).not.toBe(registry.get("1"));
    expect(registry.get(Number.NaN)).toBe(registry.get(Number.NaN));
    expect(registry.get({ id: 1 })).not.toBe(registry.get({ id: 1 }));
    expect(registry.size).toBe(5);
  });

  it("accepts keys named like Object.prototype members", () => {
    const registry = new SingletonRegistry((key: string) => `<${key}>`);

    expect(registry.get("constructor")).toBe("<constructor>");
    expect(registry.get("__proto__")).toBe("<__proto__>");
  });

  it.each([undefined, 0, "", false])("keeps a falsy instance (%s)", (falsy) => {
    const create = vi.fn(() => falsy);
    const registry = new SingletonRegistry(create);

    registry.get("a");
    registry.get("a");

    expect(create).toHaveBeenCalledTimes(1);
    expect(registry.has("a")).toBe(true);
  });

  it("keeps nothing for a key whose creation throws; the next get() tries again", () => {
    let fail = true;
    const registry = new SingletonRegistry((key: string) => {
      if (fail) throw new Error(`cannot reach ${key}`);
      return key;
    });

    expect(() => registry.get("acme")).toThrow("cannot reach acme");
    expect(registry.has("acme")).toBe(false);
    fail = false;
    expect(registry.get("acme")).toBe("acme");
  });
});

describe("re-entrancy", () => {
  it("throws SingletonCycleError naming the registry and key when creating a key needs itself", () => {
    const registry: SingletonRegistry<string, string> = new SingletonRegistry(
      (key) => `${registry.get(key)}!`,
      { name: "tenant pools" },
    );

    expect(() => registry.get("acme")).toThrow(SingletonCycleError);
    expect(() => registry.get("acme")).toThrow('tenant pools entry "acme" was requested');
    expect(registry.has("acme")).toBe(false);
  });

  it("lets the creation of one key use other keys", () => {
    const registry: SingletonRegistry<string, string> = new SingletonRegistry((key) =>
      key === "shared" ? "base" : `${registry.get("shared")}/${key}`,
    );

    expect(registry.get("acme")).toBe("base/acme");
    expect([...registry.keys()]).toEqual(["shared", "acme"]);
  });

  it("describes keys that cannot be turned into strings", () => {
    const key = Object.create(null) as object;
    const registry: SingletonRegistry<object, number> = new SingletonRegistry(() =>
      registry.get(key),
    );

    expect(() => registry.get(key)).toThrow("registry entry an object was requested");
  });

  it("describes a key it cannot read at all", () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const key = revocable.proxy;
    const registry: SingletonRegistry<object, number> = new SingletonRegistry(() =>
      registry.get(key),
    );

    expect(() => registry.get(key)).toThrow("registry entry an unreadable value was requested");
  });
});

describe("has(), peek(), size and keys()", () => {
  it("report without creating anything", () => {
    const create = vi.fn((key: string) => key.toUpperCase());
    const registry = new SingletonRegistry(create);

    expect(registry.has("a")).toBe(false);
    expect(registry.peek("a")).toBeUndefined();
    expect(create).not.toHaveBeenCalled();

    registry.get("b");
    registry.get("a");

    expect(registry.peek("a")).toBe("A");
    expect(registry.size).toBe(2);
    expect([...registry.keys()]).toEqual(["b", "a"]);
  });
});

describe("delete(key) and clear()", () => {
  it("delete() forgets and disposes one instance, returning true", () => {
    const dispose = vi.fn();
    const registry = new SingletonRegistry((key: string) => ({ key }), { dispose });
    const acme = registry.get("acme");
    const globex = registry.get("globex");

    expect(registry.delete("acme")).toBe(true);

    expect(dispose).toHaveBeenCalledExactlyOnceWith(acme, "acme");
    expect(registry.get("acme")).not.toBe(acme);
    expect(registry.get("globex")).toBe(globex);
  });

  it("delete() of a key without an instance returns false and disposes nothing", () => {
    const dispose = vi.fn();
    const registry = new SingletonRegistry((key: string) => key, { dispose });

    expect(registry.delete("nobody")).toBe(false);
    expect(dispose).not.toHaveBeenCalled();
  });

  it("delete() and clear() just forget when the registry has no dispose option", () => {
    const registry = new SingletonRegistry((key: string) => ({ key }));
    registry.get("a");
    registry.get("b");
    registry.get("c");

    expect(registry.delete("a")).toBe(true);
    registry.clear();

    expect(registry.size).toBe(0);
  });

  it("clear() forgets and disposes every instance", () => {
    const dispose = vi.fn();
    const registry = new SingletonRegistry((key: string) => key, { dispose });
    registry.get("a");
    registry.get("b");

    registry.clear();

    expect(registry.size).toBe(0);
    expect(dispose.mock.calls).toEqual([
      ["a", "a"],
      ["b", "b"],
    ]);
  });

  it("clear() forgets every instance even if a dispose throws, then rethrows the first error", () => {
    const errors: Error[] = [];
    const dispose = vi.fn((value: string) => {
      errors.push(new Error(`cannot close ${value}`));
      throw errors.at(-1);
    });
    const registry = new SingletonRegistry((key: string) => key, { dispose });
    registry.get("a");
    registry.get("b");

    let thrown: unknown;
    try {
      registry.clear();
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBe(errors[0]);
    expect(dispose).toHaveBeenCalledTimes(2);
    expect(registry.size).toBe(0);
  });
});

describe("one async singleton per key", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("connects each tenant once, however many concurrent callers ask", async () => {
    const connect = vi.fn(
      (tenant: string) =>
        new Promise<string>((resolve) => setTimeout(resolve, 50, `${tenant}-pool`)),
    );
    const pools = new SingletonRegistry(
      (tenant: string) => new AsyncSingleton(() => connect(tenant)),
    );

    const waiting = Promise.all([
      pools.get("acme").get(),
      pools.get("acme").get(),
      pools.get("globex").get(),
    ]);
    await vi.advanceTimersByTimeAsync(50);

    await expect(waiting).resolves.toEqual(["acme-pool", "acme-pool", "globex-pool"]);
    expect(connect.mock.calls).toEqual([["acme"], ["globex"]]);
  });
});

describe("bad input", () => {
  it("rejects a create that is not a function with a TypeError naming it", () => {
    expect(() => new SingletonRegistry(null as unknown as () => 1)).toThrow(
      new TypeError("`create` must be a function, got null"),
    );
  });

  it("rejects a dispose that is not a function and a name that is not a string", () => {
    expect(
      () => new SingletonRegistry(() => 1, { dispose: "close" as unknown as () => void }),
    ).toThrow(new TypeError('`options.dispose` must be a function, got "close"'));
    expect(() => new SingletonRegistry(() => 1, { name: 7 as unknown as string })).toThrow(
      new TypeError("`options.name` must be a string, got 7"),
    );
  });

  it("rejects null options by name", () => {
    expect(() => new SingletonRegistry(() => 1, null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });
});
