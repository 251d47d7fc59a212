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
    expect(() => container.resolve(mailerToken)).toThrow(UnknownServiceError);
    expect(() => container.resolve(mailerToken)).toThrow('no service is registered for "mailer"');
  });

  it("a dependency cycle throws CircularDependencyError with its path", () => {
    const a = token<unknown>("a");
    const b = token<unknown>("b");
    container.register(a, (c) => c.resolve(b)).register(b, (c) => c.resolve(a));

    const attempt = () => container.resolve(a);

    expect(attempt).toThrow(CircularDependencyError);
    expect(attempt).toThrow("circular dependency: a → b → a");
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
});
