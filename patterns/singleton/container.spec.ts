import { beforeEach, describe, expect, it, vi } from "vitest";
import { thrownBy } from "../../kata/spec-helpers";
import { Container, type Factory, type Lifetime, type Token, token } from "./container";
import { CircularDependencyError, DuplicateServiceError, UnknownServiceError } from "./errors";

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
const makeSignup: Factory<Signup> = (r) => {
  const mailer = r.resolve(mailerToken);
  return { register: (email) => mailer.send(email) };
};

let container: Container;

beforeEach(() => {
  container = new Container();
});

describe("token(name)", () => {
  it("makes frozen tokens that are compared by identity, not by name", () => {
    const a = token<Mailer>("mailer");
    container.register(a, makeMailer);

    expect(Object.isFrozen(a)).toBe(true);
    expect(a.name).toBe("mailer");
    expect(container.has(a)).toBe(true);
    expect(container.has(mailerToken)).toBe(false);
  });
});

describe("singleton lifetime (the default)", () => {
  it("builds on the first resolve, not at registration, and keeps the instance", () => {
    const factory = vi.fn(makeMailer);
    container.register(mailerToken, factory);
    expect(factory).not.toHaveBeenCalled();

    const first = container.resolve(mailerToken);

    expect(container.resolve(mailerToken)).toBe(first);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it("keeps one instance per container: another container builds its own", () => {
    const other = new Container().register(mailerToken, makeMailer);
    container.register(mailerToken, makeMailer);

    container.resolve(mailerToken).send("ada@example.com");

    expect(other.resolve(mailerToken).sent).toEqual([]);
  });

  it("is shared by every service that depends on it, transient ones included", () => {
    container
      .register(mailerToken, makeMailer)
      .register(signupToken, makeSignup, { lifetime: "transient" });

    container.resolve(signupToken).register("ada@example.com");
    container.resolve(signupToken).register("alan@example.com");

    expect(container.resolve(mailerToken).sent).toEqual(["ada@example.com", "alan@example.com"]);
  });

  it("keeps a falsy instance instead of building it again", () => {
    const zero = token<number>("zero");
    const factory = vi.fn(() => 0);
    container.register(zero, factory);

    container.resolve(zero);
    container.resolve(zero);

    expect(factory).toHaveBeenCalledTimes(1);
  });
});

describe("transient lifetime", () => {
  it("builds a new instance on every resolve", () => {
    container.register(mailerToken, makeMailer, { lifetime: "transient" });

    expect(container.resolve(mailerToken)).not.toBe(container.resolve(mailerToken));
  });
});

describe("registration", () => {
  it("throws DuplicateServiceError for a second registration of a token", () => {
    container.register(mailerToken, makeMailer);

    expect(() => container.register(mailerToken, makeMailer)).toThrow(DuplicateServiceError);
    expect(() => container.register(mailerToken, makeMailer)).toThrow(
      '"mailer" is already registered (pass { replace: true } to replace it)',
    );
  });

  it("with replace: true swaps in a fake, and forgets an instance already built", () => {
    const fake: Mailer = { sent: [], send: vi.fn() };
    container.register(mailerToken, makeMailer).register(signupToken, makeSignup, {
      lifetime: "transient",
    });
    const real = container.resolve(mailerToken);

    container.register(mailerToken, () => fake, { replace: true });
    container.resolve(signupToken).register("ada@example.com");

    expect(container.resolve(mailerToken)).toBe(fake);
    expect(fake.send).toHaveBeenCalledExactlyOnceWith("ada@example.com");
    expect(real.sent).toEqual([]);
  });

  it("returns the container, for chaining", () => {
    expect(container.register(mailerToken, makeMailer)).toBe(container);
  });
});

describe("errors while resolving", () => {
  it("throws UnknownServiceError naming an unregistered token, and carries the token", () => {
    const attempt = () => container.resolve(mailerToken);

    expect(attempt).toThrow(UnknownServiceError);
    expect(attempt).toThrow('no service is registered for "mailer"');
    try {
      attempt();
    } catch (error) {
      expect((error as UnknownServiceError).token).toBe(mailerToken);
    }
  });

  it("shows the path to a missing dependency of a dependency", () => {
    const [a, b, c] = [token<string>("a"), token<string>("b"), token<string>("c")];
    container.register(a, (r) => r.resolve(b)).register(b, (r) => r.resolve(c));

    const error = thrownBy(() => container.resolve(a)) as UnknownServiceError;

    expect(error).toEqual(new UnknownServiceError(c, ["a", "b", "c"]));
    expect(error.message).toBe('no service is registered for "c" (needed by a → b → c)');
    expect(error.token).toBe(c);
    expect(error.path).toEqual(["a", "b", "c"]);
    // …and the failed resolve leaves no trace: the next one starts from a clean path.
    expect(thrownBy(() => container.resolve(c)).message).toBe('no service is registered for "c"');
  });

  it("names each error's class in error.name, which logs and error trackers show", () => {
    const a = token<unknown>("a");

    expect(new UnknownServiceError(a).name).toBe("UnknownServiceError");
    expect(new DuplicateServiceError(a).name).toBe("DuplicateServiceError");
    expect(new CircularDependencyError(["a", "a"]).name).toBe("CircularDependencyError");
  });

  it("reports an unregistered dependency by its own name", () => {
    container.register(signupToken, makeSignup);

    expect(() => container.resolve(signupToken)).toThrow('no service is registered for "mailer"');
  });

  it.each([[["a", "b", "a"]], [["a", "b", "c", "a"]], [["a", "a"]]])(
    "throws CircularDependencyError with the path %j",
    (path) => {
      const names = path.slice(0, -1);
      const tokens = new Map(names.map((n) => [n, token<unknown>(n)]));
      names.forEach((name, i) => {
        const next = tokens.get(names[(i + 1) % names.length] as string) as Token<unknown>;
        container.register(tokens.get(name) as Token<unknown>, (r) => r.resolve(next));
      });

      const attempt = () => container.resolve(tokens.get("a") as Token<unknown>);

      expect(attempt).toThrow(CircularDependencyError);
      expect(attempt).toThrow(`circular dependency: ${path.join(" → ")}`);
    },
  );

  it("reports only the circle, not the services that led into it", () => {
    const [entry, a, b] = [token<unknown>("entry"), token<unknown>("a"), token<unknown>("b")];
    container
      .register(entry, (r) => r.resolve(a))
      .register(a, (r) => r.resolve(b))
      .register(b, (r) => r.resolve(a));

    try {
      container.resolve(entry);
      expect.unreachable();
    } catch (error) {
      expect((error as CircularDependencyError).path).toEqual(["a", "b", "a"]);
    }
  });

  it("keeps nothing when a factory throws, and reports no false cycle on the next resolve", () => {
    let failures = 1;
    container.register(mailerToken, () => {
      if (failures-- > 0) throw new Error("SMTP server unreachable");
      return makeMailer();
    });

    expect(() => container.resolve(mailerToken)).toThrow("SMTP server unreachable");
    expect(container.resolve(mailerToken).sent).toEqual([]);
  });

  it("does not mistake a diamond (two paths to one service) for a cycle", () => {
    const [top, left, right] = [
      token<string>("top"),
      token<string>("left"),
      token<string>("right"),
    ];
    container
      .register(mailerToken, makeMailer, { lifetime: "transient" })
      .register(left, (r) => `left:${r.resolve(mailerToken).sent.length}`)
      .register(right, (r) => `right:${r.resolve(mailerToken).sent.length}`)
      .register(top, (r) => `${r.resolve(left)} ${r.resolve(right)}`);

    expect(container.resolve(top)).toBe("left:0 right:0");
  });
});

describe("bad input", () => {
  it.each(["", "   ", 42])("token() rejects the name %j with a TypeError naming it", (name) => {
    expect(() => token(name as string)).toThrow(
      new TypeError(`\`name\` must be a non-empty string, got ${JSON.stringify(name)}`),
    );
  });

  it("rejects a token not made by token()", () => {
    const forged = { name: "mailer" } as Token<Mailer>;

    expect(() => container.register(forged, makeMailer)).toThrow(
      new TypeError("`token` must be a token made by token(), got an object"),
    );
    expect(() => container.resolve(forged)).toThrow(TypeError);
    expect(() => container.has(undefined as unknown as Token<Mailer>)).toThrow(TypeError);
  });

  it("rejects a factory that is not a function", () => {
    expect(() => container.register(mailerToken, "smtp" as unknown as Factory<Mailer>)).toThrow(
      new TypeError('`factory` must be a function, got "smtp"'),
    );
  });

  it("rejects an unknown lifetime", () => {
    expect(() =>
      container.register(mailerToken, makeMailer, { lifetime: "scoped" as Lifetime }),
    ).toThrow(new TypeError('`options.lifetime` must be "singleton" or "transient", got "scoped"'));
    expect(() =>
      container.register(mailerToken, makeMailer, { lifetime: "lol" as Lifetime }),
    ).toThrow(new TypeError('`options.lifetime` must be "singleton" or "transient", got "lol"'));
  });

  it("rejects null options by name", () => {
    expect(() => container.register(mailerToken, makeMailer, null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });
});
