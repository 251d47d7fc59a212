import { describe, expectTypeOf, it } from "vitest";
import { Container, type ServiceOf, type Token, token } from "./container";
import { type Lazy, lazy } from "./lazy";
import { SingletonRegistry } from "./registry";

interface Mailer {
  send(to: string): void;
}
interface Clock {
  now(): number;
}

describe("typed tokens", () => {
  it("resolve() returns the token's service type", () => {
    const mailerToken = token<Mailer>("mailer");
    const container = new Container().register(mailerToken, () => ({ send() {} }));

    expectTypeOf(container.resolve(mailerToken)).toEqualTypeOf<Mailer>();
    expectTypeOf<ServiceOf<typeof mailerToken>>().toEqualTypeOf<Mailer>();
  });

  it("a token of one service is not a token of another", () => {
    const mailerToken = token<Mailer>("mailer");
    // @ts-expect-error a Mailer token cannot stand for a Clock
    const clockToken: Token<Clock> = mailerToken;
    expectTypeOf(clockToken).toEqualTypeOf<Token<Clock>>();
  });

  it("a factory must build the token's service", () => {
    const clockToken = token<Clock>("clock");
    // @ts-expect-error a Mailer is not a Clock
    new Container().register(clockToken, (): Mailer => ({ send() {} }));
  });

  it("the lifetime is one of two words", () => {
    const clockToken = token<Clock>("clock");
    // @ts-expect-error "scoped" is not a lifetime
    new Container().register(clockToken, () => ({ now: () => 0 }), { lifetime: "scoped" });
  });
});

describe("lazy values and registries", () => {
  it("lazy() infers the value's type", () => {
    expectTypeOf(lazy(() => new Map<string, string>())).toEqualTypeOf<Lazy<Map<string, string>>>();
    expectTypeOf(lazy(() => 1).get()).toEqualTypeOf<number>();
  });

  it("a registry's get() takes its key type and returns its value type", () => {
    const pools = new SingletonRegistry((tenant: string) => ({ tenant }));

    expectTypeOf(pools.get("acme")).toEqualTypeOf<{ tenant: string }>();
    // @ts-expect-error tenants are named by strings
    pools.get(42);
  });
});
