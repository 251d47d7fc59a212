/**
 * `Container`: singletons without a global. Services are registered with a lifetime and built on
 * first resolve; a singleton is kept by its container, so an application has one and each test
 * builds its own, with fakes registered in place of real services. This is what NestJS providers
 * (default scope), InversifyJS `inSingletonScope()` and tsyringe's `@singleton()` do.
 */

import { CircularDependencyError, DuplicateServiceError, UnknownServiceError } from "./errors";
import { badArgument, optionsObject } from "./internal";

declare const serviceType: unique symbol;

/**
 * A typed name for a service: `container.resolve(mailerToken)` is typed `Mailer`. Tokens are
 * compared by identity: two tokens with one name are two services.
 */
export interface Token<T> {
  /** The name given to token(), used in error messages. */
  readonly name: string;
  /** Never present: carries `T` for the type checker only. */
  readonly [serviceType]?: T;
}

/** The service type a token stands for: `ServiceOf<typeof mailerToken>` is `Mailer`. */
export type ServiceOf<K> = K extends Token<infer T> ? T : never;

/**
 * `singleton`: one instance per container, built on its first resolve and kept.
 * `transient`: a new instance on every resolve.
 */
export type Lifetime = "singleton" | "transient";

/** What a factory gets: a way to resolve the services it depends on. */
export interface Resolver {
  /** The service for `token`, built now if its lifetime requires it. */
  resolve<T>(token: Token<T>): T;
}

/** Builds a service from its dependencies. */
export type Factory<T> = (resolver: Resolver) => T;

/** Options of {@link Container.register}. */
export interface RegisterOptions {
  /** Default: `"singleton"`. */
  readonly lifetime?: Lifetime;
  /**
   * Replace an existing registration (and forget its built instance) instead of throwing
   * {@link DuplicateServiceError}: how a test puts a fake in place of a real service.
   */
  readonly replace?: boolean;
}

const tokens = new WeakSet<object>();

/**
 * A new token for services of type `T`.
 *
 * @example
 * ```ts
 * interface Mailer { send(to: string, body: string): Promise<void> }
 * export const mailerToken = token<Mailer>("mailer");
 * ```
 */
export function token<T>(name: string): Token<T> {
  if (typeof name !== "string" || name.trim() === "") {
    throw badArgument("name", "a non-empty string", name);
  }
  const made: Token<T> = Object.freeze({ name });
  tokens.add(made);
  return made;
}

interface Registration {
  readonly factory: Factory<unknown>;
  readonly lifetime: Lifetime;
}

function assertToken(value: unknown): asserts value is Token<unknown> {
  if (typeof value !== "object" || value === null || !tokens.has(value)) {
    throw badArgument("token", "a token made by token()", value);
  }
}

/**
 * Builds services from their registrations and keeps the singletons, one per container.
 *
 * @example
 * ```ts
 * // main.ts: the composition root, the one place that knows every implementation.
 * const container = new Container()
 *   .register(configToken, () => loadConfig(process.env))
 *   .register(mailerToken, (r) => new SmtpMailer(r.resolve(configToken)))
 *   .register(signupToken, (r) => new Signup(r.resolve(mailerToken)), { lifetime: "transient" });
 *
 * // signup.spec.ts: a container of its own, with a fake; nothing leaks between tests.
 * const test = new Container().register(mailerToken, () => fakeMailer) // …
 * ```
 */
export class Container implements Resolver {
  readonly #registrations = new Map<Token<unknown>, Registration>();
  readonly #singletons = new Map<Token<unknown>, unknown>();
  /** The tokens whose factories are running, outermost first. */
  readonly #resolving: Token<unknown>[] = [];

  /**
   * Registers how to build the service `token`. Throws {@link DuplicateServiceError} if it is
   * registered already, unless `replace: true`.
   */
  register<T>(token: Token<T>, factory: Factory<T>, options?: RegisterOptions): this {
    assertToken(token);
    if (typeof factory !== "function") throw badArgument("factory", "a function", factory);
    const { lifetime = "singleton", replace = false } = optionsObject(options);
    if (lifetime !== "singleton" && lifetime !== "transient") {
      throw badArgument("options.lifetime", '"singleton" or "transient"', lifetime);
    }
    if (this.#registrations.has(token) && !replace) throw new DuplicateServiceError(token);
    this.#registrations.set(token, { factory, lifetime });
    this.#singletons.delete(token);
    return this;
  }

  /** Whether `token` has a registration. */
  has(token: Token<unknown>): boolean {
    assertToken(token);
    return this.#registrations.has(token);
  }

  // #region resolve
  /**
   * The service for `token`: a singleton's instance is built on the first resolve and kept; a
   * transient one is built every time. A factory that throws keeps nothing. Throws
   * {@link UnknownServiceError} or {@link CircularDependencyError}.
   */
  resolve<T>(token: Token<T>): T {
    assertToken(token);
    const registration = this.#registrations.get(token);
    if (registration === undefined) {
      // Reached from other factories: name the way here, `a → b → c`, not just `c`.
      throw new UnknownServiceError(
        token,
        [...this.#resolving, token].map((t) => t.name),
      );
    }
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
      if (registration.lifetime === "singleton") this.#singletons.set(token, instance);
      return instance;
    } finally {
      this.#resolving.pop(); // also on a throw, or the next resolve would see a false cycle
    }
  }
  // #endregion resolve
}
