/**
 * The Singleton pattern's reference: helpers for one shared instance, made lazily and safely.
 *
 * - {@link lazy}: a value created on first use (the synchronous singleton).
 * - {@link AsyncSingleton}: an instance that needs an `await` to make, with single flight.
 * - {@link SingletonRegistry}: one instance per key.
 * - {@link Container}: singleton scope without a global, for dependency injection.
 *
 * @module
 */
export {
  type AsyncGetOptions,
  type AsyncInit,
  AsyncSingleton,
  type AsyncSingletonOptions,
  type AsyncSingletonState,
} from "./async-singleton";
export {
  Container,
  type Factory,
  type Lifetime,
  type RegisterOptions,
  type Resolver,
  type ServiceOf,
  type Token,
  token,
} from "./container";
export {
  CircularDependencyError,
  DuplicateServiceError,
  SingletonCycleError,
  SingletonResetError,
  SingletonTimeoutError,
  UnknownServiceError,
} from "./errors";
export { type Lazy, type LazyOptions, lazy } from "./lazy";
export { SingletonRegistry, type SingletonRegistryOptions } from "./registry";
