// Approach: Each registration a provider closure; the resolution path in a Set
//
// - Gains: `register()` turns the lifetime into behaviour once (a singleton's provider remembers
//   what it built), so `resolve()` has no lifetime switch and a new lifetime is a new provider.
//   Registering again replaces the closure, and with it the instance. The Set answers "is this
//   token being resolved?" without scanning, and keeps insertion order for the error's path.
// - Costs: the built singletons hide inside closures: the container cannot list or dispose them
//   (the answer key's Map of instances can). A closure with a `built` flag is easy to get
//   subtly wrong (caching before the factory returns would keep a failed build).

// The given code is the answer key's; what follows is this approach's own.
import type { Lifetime, Token } from "../container";
import { CircularDependencyError } from "../container";

export type { Lifetime, Token };
export { CircularDependencyError };

/** A new token. Tokens are compared by identity: two calls with one name make two tokens. */
export const token = <T>(name: string): Token<T> => ({ name });

/** Builds a service; it gets the container, to resolve the services it depends on. */
export type Factory<T> = (container: Container) => T;

/** Nothing is registered under the token asked for. */
export class UnknownServiceError extends Error {
  override readonly name = "UnknownServiceError";

  constructor(readonly token: Token<unknown>) {
    super(`no service is registered for "${token.name}"`);
  }
}

type Provider = (container: Container) => unknown;

/** A singleton's provider builds on its first call only; a transient's on every call. */
function provider(factory: Factory<unknown>, lifetime: Lifetime): Provider {
  if (lifetime === "transient") return factory;
  let built = false;
  let instance: unknown;
  return (container) => {
    if (!built) {
      instance = factory(container); // if it throws, nothing is kept
      built = true;
    }
    return instance;
  };
}

/**
 * Builds services from their registrations and keeps the singletons, one per container: a test
 * that builds its own container gets its own singletons, and can register fakes in it.
 */
export class Container {
  readonly #providers = new Map<Token<unknown>, Provider>();
  readonly #resolving = new Set<Token<unknown>>();

  /** Registers how to build `token`; a later registration replaces it (and its built instance). */
  register<T>(token: Token<T>, factory: Factory<T>, lifetime: Lifetime = "singleton"): this {
    this.#providers.set(token, provider(factory, lifetime));
    return this;
  }

  /**
   * The service for `token`: a singleton's instance is built on the first resolve and kept.
   * Throws UnknownServiceError if nothing is registered, CircularDependencyError on a cycle.
   */
  resolve<T>(token: Token<T>): T {
    const provide = this.#providers.get(token);
    if (provide === undefined) throw new UnknownServiceError(token);
    if (this.#resolving.has(token)) {
      const path = [...this.#resolving];
      throw new CircularDependencyError(
        [...path.slice(path.indexOf(token)), token].map((t) => t.name),
      );
    }
    this.#resolving.add(token);
    try {
      return provide(this) as T;
    } finally {
      this.#resolving.delete(token);
    }
  }
}
