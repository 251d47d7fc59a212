import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  CircularDependencyError,
  Container,
  type Factory,
  token,
  UnknownServiceError,
} from "./container";

// A small application: a signup service that sends a welcome mail.
interface Mailer {
  readonly sent: string[];
  send(to: string): void;
}
interface Signup {
  register(email: string): void;
}

const mailerToken = token<Mailer>("mailer");
const signupToken = token<Signup>("signup");

const makeMailer = (): Mailer => {
  const sent: string[] = [];
  return { sent, send: (to) => sent.push(to) };
};
const makeSignup: Factory<Signup> = (container) => {
  const mailer = container.resolve(mailerToken);
  return { register: (email) => mailer.send(email) };
};

let container: Container;

/** Runs `act` and returns what it threw (the test fails if it throws nothing). */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but the call returned normally");
}

beforeEach(() => {
  container = new Container();
});

describe("a singleton service", () => {
  it("is built on the first resolve, not at registration", () => {
    const factory = vi.fn(makeMailer);
    container.register(mailerToken, factory);

    expect(factory).not.toHaveBeenCalled();
    container.resolve(mailerToken);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it("is built once per container and shared by every resolve", () => {
    const factory = vi.fn(makeMailer);
    container.register(mailerToken, factory);

    const first = container.resolve(mailerToken);

    expect(container.resolve(mailerToken)).toBe(first);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it("is the default lifetime, and register() returns the container for chaining", () => {
    expect(container.register(mailerToken, makeMailer)).toBe(container);
    expect(container.resolve(mailerToken)).toBe(container.resolve(mailerToken));
  });

  it("is built again by another container, so tests never share its state", () => {
    const other = new Container();
    container.register(mailerToken, makeMailer);
    other.register(mailerToken, makeMailer);

    container.resolve(mailerToken).send("ada@example.com");

    expect(other.resolve(mailerToken)).not.toBe(container.resolve(mailerToken));
    expect(other.resolve(mailerToken).sent).toEqual([]);
  });
});

describe("a transient service", () => {
  it("is built anew on every resolve", () => {
    container.register(mailerToken, makeMailer, "transient");

    expect(container.resolve(mailerToken)).not.toBe(container.resolve(mailerToken));
  });

  it("stays transient after it was registered as a singleton and built", () => {
    container.register(mailerToken, makeMailer);
    const singleton = container.resolve(mailerToken);

    container.register(mailerToken, makeMailer, "transient");
    const first = container.resolve(mailerToken);
    const second = container.resolve(mailerToken);

    expect(first).not.toBe(singleton);
    expect(second).not.toBe(first);
  });

  it("becomes a kept singleton when registered again as one", () => {
    container.register(mailerToken, makeMailer, "transient");
    container.resolve(mailerToken);

    container.register(mailerToken, makeMailer, "singleton");

    expect(container.resolve(mailerToken)).toBe(container.resolve(mailerToken));
  });
});

describe("the factory", () => {
  it.each(["singleton", "transient"] as const)(
    "of a %s is given the very container that resolves it",
    (lifetime) => {
      const factory = vi.fn((_container: Container) => makeMailer());
      container.register(mailerToken, factory, lifetime);

      container.resolve(mailerToken);

      expect(factory).toHaveBeenCalledTimes(1);
      expect(factory.mock.calls[0]?.[0]).toBe(container);
    },
  );

  it.each([0, "", false, null, undefined])(
    "of a singleton whose instance is %j runs once: the instance is kept all the same",
    (falsy) => {
      const setting = token<unknown>("setting");
      const factory = vi.fn(() => falsy);
      container.register(setting, factory);

      const first = container.resolve(setting);
      const second = container.resolve(setting);

      expect(factory).toHaveBeenCalledTimes(1);
      expect(Object.is(first, falsy) && Object.is(second, falsy)).toBe(true);
    },
  );
});

describe("dependencies", () => {
  it("are resolved by the factory through the container it is given", () => {
    container.register(signupToken, makeSignup).register(mailerToken, makeMailer);

    container.resolve(signupToken).register("ada@example.com");

    expect(container.resolve(mailerToken).sent).toEqual(["ada@example.com"]);
  });

  it("can be swapped for a fake by registering it again", () => {
    const fake: Mailer = { sent: [], send: vi.fn() };
    container.register(mailerToken, makeMailer).register(signupToken, makeSignup);

    container.register(mailerToken, () => fake);
    container.resolve(signupToken).register("ada@example.com");

    expect(fake.send).toHaveBeenCalledExactlyOnceWith("ada@example.com");
  });

  it("replace an instance already built when registered again", () => {
    container.register(mailerToken, makeMailer);
    const before = container.resolve(mailerToken);

    container.register(mailerToken, makeMailer);

    expect(container.resolve(mailerToken)).not.toBe(before);
  });
});

describe("errors", () => {
  it("resolving an unregistered token throws UnknownServiceError naming it", () => {
    const error = thrownBy(() => container.resolve(mailerToken));

    expect(error).toBeInstanceOf(UnknownServiceError);
    expect(error).toEqual(new UnknownServiceError(mailerToken));
    expect((error as Error).name).toBe("UnknownServiceError");
    expect((error as UnknownServiceError).token).toBe(mailerToken);
    expect((error as Error).message).toBe('no service is registered for "mailer"');
  });

  it("an unregistered dependency throws UnknownServiceError naming the dependency", () => {
    container.register(signupToken, makeSignup);

    const error = thrownBy(() => container.resolve(signupToken));

    expect(error).toBeInstanceOf(UnknownServiceError);
    expect((error as UnknownServiceError).token).toBe(mailerToken);
  });

  it("a dependency cycle throws CircularDependencyError with its path", () => {
    const a = token<unknown>("a");
    const b = token<unknown>("b");
    container.register(a, (c) => c.resolve(b)).register(b, (c) => c.resolve(a));

    const error = thrownBy(() => container.resolve(a));

    expect(error).toBeInstanceOf(CircularDependencyError);
    expect((error as Error).name).toBe("CircularDependencyError");
    expect((error as CircularDependencyError).path).toEqual(["a", "b", "a"]);
    expect((error as Error).message).toBe("circular dependency: a → b → a");
  });

  it("a cycle reached through another service has the path of the cycle alone", () => {
    const app = token<unknown>("app");
    const a = token<unknown>("a");
    const b = token<unknown>("b");
    container
      .register(app, (c) => c.resolve(a))
      .register(a, (c) => c.resolve(b))
      .register(b, (c) => c.resolve(a));

    const error = thrownBy(() => container.resolve(app));

    expect(error).toEqual(new CircularDependencyError(["a", "b", "a"]));
    expect(error).toBeInstanceOf(CircularDependencyError);
  });

  it("a service that needs itself is a cycle of one: a → a", () => {
    const a = token<unknown>("a");
    container.register(a, (c) => c.resolve(a));

    const error = thrownBy(() => container.resolve(a));

    expect(error).toBeInstanceOf(CircularDependencyError);
    expect((error as CircularDependencyError).path).toEqual(["a", "a"]);
  });

  it("two tokens with one name are two services, not a cycle", () => {
    const outer = token<string>("db");
    const inner = token<string>("db");
    container.register(outer, (c) => `outer of ${c.resolve(inner)}`).register(inner, () => "inner");

    expect(container.resolve(outer)).toBe("outer of inner");
  });

  it("after a cycle is reported, fixing a registration lets the services resolve", () => {
    const a = token<string>("a");
    const b = token<string>("b");
    container.register(a, (c) => `a needs ${c.resolve(b)}`).register(b, (c) => c.resolve(a));
    thrownBy(() => container.resolve(a));

    container.register(b, () => "b");

    expect(container.resolve(a)).toBe("a needs b");
  });

  it("a factory that throws keeps nothing: the next resolve builds again", () => {
    let failures = 1;
    container.register(mailerToken, () => {
      if (failures-- > 0) throw new Error("SMTP server unreachable");
      return makeMailer();
    });

    expect(() => container.resolve(mailerToken)).toThrow("SMTP server unreachable");
    expect(container.resolve(mailerToken).sent).toEqual([]);
  });

  it("a factory's error reaches the caller as it was thrown, also through a dependency", () => {
    const failure = new Error("SMTP server unreachable");
    container
      .register(mailerToken, () => {
        throw failure;
      })
      .register(signupToken, makeSignup);

    expect(thrownBy(() => container.resolve(mailerToken))).toBe(failure);
    expect(thrownBy(() => container.resolve(signupToken))).toBe(failure);
  });
});
