// Mistake: the guard looks for a token being resolved by its name, not by identity. Two tokens
// that happen to share a name ("db" for two different databases) are taken for one, and a
// service that needs the other is reported as a cycle.
// Caught by "two tokens with one name are two services, not a cycle".
// Hint: tokens are compared by identity everywhere: a name is only a label for messages.
/** A typed name for a service: `resolve(token<Mailer>("mailer"))` is typed `Mailer`. */
export interface Token<T> {
  readonly name: string;
  /** Never set: it only carries `T` for the type checker. */
  readonly type?: T;
}

/** A new token. Tokens are compared by identity: two calls with one name make two tokens. */
export const token = <T>(name: string): Token<T> => ({ name });

/** `singleton`: one instance per container, built on first resolve; `transient`: one per resolve. */
export type Lifetime = "singleton" | "transient";

/** Builds a service; it gets the container, to resolve the services it depends on. */
export type Factory<T> = (container: Container) => T;

/** Nothing is registered under the token asked for. */
export class UnknownServiceError extends Error {
  override readonly name = "UnknownServiceError";

  constructor(readonly token: Token<unknown>) {
    super(`no service is registered for "${token.name}"`);
  }
}

/** Services that need each other in a circle: building them would never end. */
export class CircularDependencyError extends Error {
  override readonly name = "CircularDependencyError";

  /** The names along the circle, the first repeated at the end: ["a", "b", "a"]. */
  constructor(readonly path: readonly string[]) {
    super(`circular dependency: ${path.join(" → ")}`);
  }
}

interface Registration {
  readonly factory: Factory<unknown>;
  readonly lifetime: Lifetime;
}

/**
 * Builds services from their registrations and keeps the singletons, one per container: a test
 * that builds its own container gets its own singletons, and can register fakes in it.
 */
export class Container {
  // Instance fields, not module variables: the container is the scope of its singletons.
  readonly #registrations = new Map<Token<unknown>, Registration>();
  readonly #singletons = new Map<Token<unknown>, unknown>();
  // The tokens whose factories are running, in order: meeting one again means a cycle.
  readonly #resolving: Token<unknown>[] = [];

  /** Registers how to build `token`; a later registration replaces it (and its built instance). */
  register<T>(token: Token<T>, factory: Factory<T>, lifetime: Lifetime = "singleton"): this {
    this.#registrations.set(token, { factory, lifetime });
    this.#singletons.delete(token);
    return this;
  }

  /**
   * The service for `token`: a singleton's instance is built on the first resolve and kept.
   * Throws UnknownServiceError if nothing is registered, CircularDependencyError on a cycle.
   */
  resolve<T>(token: Token<T>): T {
    const registration = this.#registrations.get(token);
    if (registration === undefined) throw new UnknownServiceError(token);
    if (this.#singletons.has(token)) return this.#singletons.get(token) as T;

    const start = this.#resolving.findIndex((t) => t.name === token.name);
    if (start !== -1) {
      throw new CircularDependencyError(
        [...this.#resolving.slice(start), token].map((t) => t.name),
      );
    }
    this.#resolving.push(token);
    try {
      const instance = registration.factory(this) as T;
      if (registration.lifetime === "singleton") this.#singletons.set(token, instance);
      return instance;
    } finally {
      // Also when the factory throws: a failed build must not look like a cycle next time.
      this.#resolving.pop();
    }
  }
}
