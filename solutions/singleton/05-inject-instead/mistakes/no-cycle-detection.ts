// Mistake: no record of what is being resolved. Two services that need each other call each
// other's factories until the stack overflows: a RangeError that names neither service.
// Caught by "a dependency cycle throws CircularDependencyError with its path".
import { type Lifetime, type Token, UnknownServiceError } from "../container";

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

  register<T>(token: Token<T>, factory: Factory<T>, lifetime: Lifetime = "singleton"): this {
    this.#registrations.set(token, { factory, lifetime });
    this.#singletons.delete(token);
    return this;
  }

  resolve<T>(token: Token<T>): T {
    const registration = this.#registrations.get(token);
    if (registration === undefined) throw new UnknownServiceError(token);
    if (this.#singletons.has(token)) return this.#singletons.get(token) as T;
    const instance = registration.factory(this) as T;
    if (registration.lifetime === "singleton") this.#singletons.set(token, instance);
    return instance;
  }
}
