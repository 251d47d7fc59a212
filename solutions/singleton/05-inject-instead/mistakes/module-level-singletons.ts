// Mistake: the singletons are kept at module level, as a "real" singleton would be. Every container
// (so every test) shares them: the first test's mailer, with its sent mails, leaks into the next.
// Caught by "is built again by another container, so tests never share its state".
import {
  CircularDependencyError,
  type Lifetime,
  type Token,
  UnknownServiceError,
} from "../container";

/** Builds a service; it gets the container, to resolve the services it depends on. */
export type Factory<T> = (container: Container) => T;

export {
  CircularDependencyError,
  type Lifetime,
  type Token,
  token,
  UnknownServiceError,
} from "../container";

const SINGLETONS = new Map<Token<unknown>, unknown>();

export class Container {
  readonly #registrations = new Map<
    Token<unknown>,
    { factory: Factory<unknown>; lifetime: Lifetime }
  >();
  readonly #resolving: Token<unknown>[] = [];

  register<T>(token: Token<T>, factory: Factory<T>, lifetime: Lifetime = "singleton"): this {
    this.#registrations.set(token, { factory, lifetime });
    SINGLETONS.delete(token);
    return this;
  }

  resolve<T>(token: Token<T>): T {
    const registration = this.#registrations.get(token);
    if (registration === undefined) throw new UnknownServiceError(token);
    if (SINGLETONS.has(token)) return SINGLETONS.get(token) as T;

    const start = this.#resolving.indexOf(token);
    if (start !== -1) {
      throw new CircularDependencyError(
        [...this.#resolving.slice(start), token].map((t) => t.name),
      );
    }
    this.#resolving.push(token);
    try {
      const instance = registration.factory(this) as T;
      if (registration.lifetime === "singleton") SINGLETONS.set(token, instance);
      return instance;
    } finally {
      this.#resolving.pop();
    }
  }
}
