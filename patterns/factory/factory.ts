/**
 * A typed registry factory: one object that turns a kind (`"circle"`) into a new product, reads
 * its types from a map of kind → maker, and stays open to kinds registered later.
 *
 * @module
 */

import { badArgument } from "../describe";
import { DuplicateKindError, UnknownKindError } from "./errors";

/**
 * Makes one product. Its parameters are what `create(kind, …)` takes after the kind: none, one
 * options object, or an optional one.
 *
 * @example
 * ```ts
 * const makeCircle: Maker = (options: { radius: number }) => new Circle(options);
 * ```
 */
export type Maker = (...args: never[]) => unknown;

/**
 * The constraint on a factory's map: every property of `M` is a {@link Maker}. Written as a
 * mapped type rather than `Record<string, Maker>` so that an `interface` qualifies too
 * (interfaces have no implicit index signature).
 *
 * @example
 * ```ts
 * interface ShapeMakers { circle: (options: CircleOptions) => Circle }
 * const ok: MakerMap<ShapeMakers> = { circle: (o) => new Circle(o) };
 * ```
 */
export type MakerMap<M> = { [K in keyof M]: Maker };

/**
 * The kinds of a maker map: its string keys.
 *
 * @example
 * ```ts
 * type Kinds = KindOf<ShapeMakers>; // "circle" | "rectangle" | "triangle"
 * ```
 */
export type KindOf<M> = Extract<keyof M, string>;

/**
 * Undoes one registration. Call it, or let `using` call it at the end of a block.
 *
 * @example
 * ```ts
 * {
 *   using _star = shapes.register("star", makeStar);
 *   shapes.create("star", { points: 5 });
 * } // "star" is unregistered here
 * ```
 */
export type Unregister = (() => void) & Disposable;

// #region types
/**
 * A factory over the map `M`: `create(kind, …options)` returns exactly what `M[kind]` makes.
 *
 * @example
 * ```ts
 * const shapes: Factory<ShapeMakers> = createFactory("shape", shapeMakers);
 * const circle = shapes.create("circle", { radius: 2 }); // Circle
 * ```
 */
export interface Factory<M extends MakerMap<M>> {
  /** What the products are called in error messages: `Unknown shape kind "hexagon"`. */
  readonly name: string;

  /**
   * A new product of `kind`, made by the maker registered for it from `options`.
   *
   * @throws {UnknownKindError} if no maker is registered for `kind` (only untyped callers, or a
   *   declared kind nobody registered, can get here).
   * @throws {TypeError} if `kind` is not a string, or the maker returns `undefined` or `null`.
   */
  create<K extends KindOf<M>>(kind: K, ...options: Parameters<M[K]>): ReturnType<M[K]>;

  /**
   * Registers `make` for `kind`, a non-empty string without surrounding whitespace.
   *
   * @returns a function that unregisters it (at most once; never a later registration).
   * @throws {DuplicateKindError} if `kind` is registered already: the first maker stays.
   * @throws {TypeError} naming `kind` or `make` for bad arguments.
   */
  register<K extends KindOf<M>>(kind: K, make: M[K]): Unregister;

  /** Whether a maker is registered for `kind` now; narrows a string from outside to a kind. */
  has(kind: unknown): kind is KindOf<M>;

  /** The kinds registered now, in registration order (a copy). */
  kinds(): KindOf<M>[];
}
// #endregion types

/** Throws unless `kind` is a non-empty string without surrounding whitespace. */
function checkKind(kind: unknown, name: string, what: string): asserts kind is string {
  if (typeof kind !== "string" || kind === "" || kind.trim() !== kind) {
    throw badArgument(name, what, kind);
  }
}

const KIND = "a non-empty string without surrounding whitespace";

/**
 * Creates a factory named `name` (for error messages), with the makers in `makers` registered in
 * their key order. The map's type `M` is inferred from `makers`, or given explicitly, when kinds
 * are registered later or by other modules.
 *
 * @example
 * ```ts
 * const shapes = createFactory("shape", {
 *   circle: (options: CircleOptions) => new Circle(options),
 *   square: (options: { side: number }) => new Rectangle({ width: options.side, height: options.side }),
 * });
 * shapes.create("circle", { radius: 2 }); // Circle
 * shapes.create("hexagon", {}); // compile error; at run time, an UnknownKindError
 * ```
 * @throws {TypeError} naming `name`, `makers` or `makers.<kind>` for bad arguments.
 */
export function createFactory<M extends MakerMap<M>>(
  name: string,
  makers: Partial<M> = {},
): Factory<M> {
  if (typeof name !== "string" || name.trim() === "") {
    throw badArgument("name", "a non-empty string", name);
  }
  if (typeof makers !== "object" || makers === null || Array.isArray(makers)) {
    throw badArgument("makers", "an object of kind → maker", makers);
  }

  // A Map, not an object: "__proto__" or "constructor" are kinds like any other, and the Map
  // keeps registration order for kinds() and for error messages.
  const registry = new Map<string, Maker>();

  // #region register
  /** Registers `make` for `kind`; `names` says what the arguments are called in messages. */
  function add(
    kind: string,
    make: unknown,
    names: { kind: [string, string]; make: string },
  ): Unregister {
    checkKind(kind, ...names.kind);
    if (typeof make !== "function") {
      throw badArgument(names.make, "a function (a maker)", make);
    }
    if (registry.has(kind)) throw new DuplicateKindError(name, kind);
    registry.set(kind, make as Maker);

    // Only this registration: once undone (or replaced by someone else's after an undo), a
    // second call must not remove a maker it did not add.
    let active = true;
    const unregister = () => {
      if (!active) return;
      active = false;
      registry.delete(kind);
    };
    return Object.assign(unregister, { [Symbol.dispose]: unregister });
  }
  // #endregion register

  const factory: Factory<M> = {
    name,
    // #region create
    create(kind, ...options) {
      if (typeof kind !== "string") {
        throw badArgument("kind", "a string", kind);
      }
      const make = registry.get(kind);
      if (!make) throw new UnknownKindError(name, kind, [...registry.keys()]);
      const product = make(...(options as never[]));
      // The source's bug, one level down: a maker that forgets to return hands out undefined.
      if (product === undefined || product === null) {
        throw new TypeError(
          `the maker of ${name} kind ${JSON.stringify(kind)} returned ${product}: a maker must return what it makes`,
        );
      }
      return product as ReturnType<M[typeof kind]>;
    },
    // #endregion create
    register: (kind, make) => add(kind, make, { kind: ["kind", KIND], make: "make" }),
    has: (kind): kind is KindOf<M> => typeof kind === "string" && registry.has(kind),
    kinds: () => [...registry.keys()] as KindOf<M>[],
  };

  for (const [kind, make] of Object.entries(makers)) {
    const keys = "an object whose keys are non-empty strings without surrounding whitespace";
    add(kind, make, { kind: ["makers", keys], make: `makers.${kind}` });
  }
  // Frozen: a caller cannot swap `create` for everyone else who holds this factory.
  return Object.freeze(factory);
}
