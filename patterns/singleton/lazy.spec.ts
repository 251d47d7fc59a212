import { describe, expect, it, vi } from "vitest";
import { SingletonCycleError } from "./errors";
import { lazy } from "./lazy";

describe("lazy(create)", () => {
  it("creates nothing until the first get()", () => {
    const create = vi.fn(() => ({}));

    const value = lazy(create);

    expect(create).not.toHaveBeenCalled();
    expect(value.created).toBe(false);
  });

  it("creates once and returns the same value on every get()", () => {
    const create = vi.fn(() => ({}));
    const value = lazy(create);

    const first = value.get();

    expect(value.get()).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
    expect(value.created).toBe(true);
  });

  it.each([undefined, null, 0, "", false])(
    "keeps a falsy value (%s) instead of recreating it",
    (falsy) => {
      const create = vi.fn(() => falsy);
      const value = lazy(create);

      value.get();
      value.get();

      expect(create).toHaveBeenCalledTimes(1);
      expect(value.created).toBe(true);
    },
  );
});

describe("a create() that throws", () => {
  it("propagates the error and keeps nothing: the next get() tries again", () => {
    const create = vi
      .fn<() => string>()
      .mockImplementationOnce(() => {
        throw new Error("config file missing");
      })
      .mockReturnValue("ok");
    const value = lazy(create);

    expect(() => value.get()).toThrow("config file missing");
    expect(value.created).toBe(false);
    expect(value.get()).toBe("ok");
  });
});

describe("re-entrancy", () => {
  it("throws SingletonCycleError, naming the value, when create() asks for its own value", () => {
    const value = lazy((): number => value.get() + 1, { name: "config" });

    expect(() => value.get()).toThrow(SingletonCycleError);
    expect(() => value.get()).toThrow("config was requested while it was being created");
  });

  it('names the value "lazy value" in the error when it was given no name', () => {
    const value = lazy((): number => value.get() + 1);

    expect(() => value.get()).toThrow("lazy value was requested while it was being created");
  });

  it("recovers after a cycle: a later get() whose create() no longer recurses succeeds", () => {
    let recurse = true;
    const value = lazy((): string => (recurse ? `${value.get()}!` : "ok"));

    expect(() => value.get()).toThrow(SingletonCycleError);
    recurse = false;

    expect(value.get()).toBe("ok");
  });

  it("allows create() to use other lazy values", () => {
    const port = lazy(() => 8080);
    const url = lazy(() => `http://localhost:${port.get()}`);

    expect(url.get()).toBe("http://localhost:8080");
  });
});

describe("reset()", () => {
  it("forgets the value, so that the next get() creates a new one", () => {
    const value = lazy(() => ({}));
    const before = value.get();

    value.reset();

    expect(value.created).toBe(false);
    expect(value.get()).not.toBe(before);
  });

  it("passes the forgotten value to dispose()", () => {
    const dispose = vi.fn();
    const value = lazy(() => ({ open: true }), { dispose });
    const before = value.get();

    value.reset();

    expect(dispose).toHaveBeenCalledExactlyOnceWith(before);
  });

  it("disposes nothing when nothing was created, and is harmless twice", () => {
    const dispose = vi.fn();
    const value = lazy(() => 1, { dispose });

    value.reset();
    value.reset();

    expect(dispose).not.toHaveBeenCalled();
  });

  it("still forgets the value when dispose() throws, and rethrows", () => {
    const value = lazy(() => ({}), {
      dispose: () => {
        throw new Error("close failed");
      },
    });
    value.get();

    expect(() => value.reset()).toThrow("close failed");
    expect(value.created).toBe(false);
  });

  it("called during create(): the value is returned to its caller but not kept", () => {
    let calls = 0;
    const value = lazy(() => {
      calls++;
      if (calls === 1) value.reset();
      return calls;
    });

    expect(value.get()).toBe(1);
    expect(value.created).toBe(false);
    expect(value.get()).toBe(2);
  });
});

describe("bad input", () => {
  it("rejects a create that is not a function with a TypeError naming it", () => {
    expect(() => lazy("config" as unknown as () => string)).toThrow(
      new TypeError('`create` must be a function, got "config"'),
    );
  });

  it("rejects a dispose that is not a function", () => {
    expect(() => lazy(() => 1, { dispose: true as unknown as () => void })).toThrow(
      new TypeError("`options.dispose` must be a function, got true"),
    );
  });

  it("rejects a name that is not a string", () => {
    expect(() => lazy(() => 1, { name: 42 as unknown as string })).toThrow(
      new TypeError("`options.name` must be a string, got 42"),
    );
  });

  it("rejects null options by name", () => {
    expect(() => lazy(() => 1, null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });
});
