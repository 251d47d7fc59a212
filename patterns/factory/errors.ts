/**
 * The named errors of the factory pattern: what `create()` and `register()` throw, each carrying
 * what it is about (the factory, the kind) for `catch` blocks that test `instanceof`.
 *
 * @module
 */

// #region errors
/** How many kinds an error message lists before it says "and N more". */
const LISTED_KINDS = 20;

/**
 * Thrown by `create()` for a kind that has no maker. The message names the kind, lists the
 * kinds registered when it was thrown and suggests a near miss (`"Circle"` for `"circle"`).
 *
 * @example
 * ```ts
 * try {
 *   shapes.create(kindFromJson as never);
 * } catch (error) {
 *   if (error instanceof UnknownKindError) console.error(error.message, error.knownKinds);
 * }
 * ```
 */
export class UnknownKindError extends Error {
  override readonly name = "UnknownKindError";
  /** The factory's name, as given to `createFactory()`. */
  readonly factory: string;
  /** The kind asked for. */
  readonly kind: string;
  /** Every kind registered when the error was thrown, in registration order. */
  readonly knownKinds: readonly string[];

  constructor(factory: string, kind: string, knownKinds: readonly string[]) {
    super(unknownKindMessage(factory, kind, knownKinds));
    this.factory = factory;
    this.kind = kind;
    this.knownKinds = Object.freeze([...knownKinds]);
  }
}

/**
 * Thrown by `register()` for a kind that already has a maker. Replacing a maker silently would
 * change every product of that kind for every caller, so it takes an explicit unregister first.
 *
 * @example
 * ```ts
 * shapes.register("circle", makeOtherCircle);
 * // DuplicateKindError: Shape kind "circle" is already registered; unregister it first to replace it.
 * ```
 */
export class DuplicateKindError extends Error {
  override readonly name = "DuplicateKindError";
  /** The factory's name, as given to `createFactory()`. */
  readonly factory: string;
  /** The kind that was registered twice. */
  readonly kind: string;

  constructor(factory: string, kind: string) {
    super(
      `${capitalise(factory)} kind ${JSON.stringify(kind)} is already registered; unregister it first to replace it.`,
    );
    this.factory = factory;
    this.kind = kind;
  }
}

function unknownKindMessage(factory: string, kind: string, known: readonly string[]): string {
  const head = `Unknown ${factory} kind ${JSON.stringify(kind)}`;
  if (known.length === 0) return `${head}: no kinds are registered.`;
  const listed = known.slice(0, LISTED_KINDS).join(", ");
  const more = known.length > LISTED_KINDS ? ` and ${known.length - LISTED_KINDS} more` : "";
  // A near miss (case, stray spaces) is the commonest unknown kind: name the one they meant.
  const wanted = kind.trim().toLowerCase();
  const near = known.find((k) => k.toLowerCase() === wanted);
  const hint = near === undefined ? "" : ` Did you mean ${JSON.stringify(near)}?`;
  return `${head}. Known kinds: ${listed}${more}.${hint}`;
}
// #endregion errors

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
