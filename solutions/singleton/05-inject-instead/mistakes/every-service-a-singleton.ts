// Mistake: the lifetime is accepted but ignored; every instance is kept. A transient service (a
// unit of work, a request context) is then shared by everyone who resolves it.
// Caught by "is built anew on every resolve".
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

export class Container {
  readonly #registrations = new Map<
    Token<unknown>,
    { factory: Factory<unknown>; lifetime: Lifetime }
  >();
  readonly #singletons = new Map<Token<unknown>, unknown>();
  readonly #resolving: Token<unknown>[] = [];

  register<T>(token: Token<T>, factory: Factory<T>, lifetime: Lifetime = "singleton"): this {
    this.#registrations.set(token, { factory, lifetime });
    this.#singletons.delete(token);
    return this;
  }

  resolve<T>(token: Token<T>): T {
    const registration = this.#registrations.get(token);
    if (registration === undefined) throw new UnknownServiceError(token);
    if (this.#singletons.has(token)) return this.#singletons.get(token) as T;

    const start = this.#resolving.indexOf(token);
    if (start !== -1) {
      throw new CircularDependencyError(
        [...this.#resolving.slice(start), token].map((t) => t.name),
      );
    }
    this.#resolving.push(token);
    try {
      const instance = registration.factory(this) as T;
      this.#singletons.set(token, instance);
      return instance;
    } finally {
      this.#resolving.pop();
    }
  }
}
