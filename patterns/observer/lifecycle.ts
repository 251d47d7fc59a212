/**
 * Lifecycle observers with veto: a repository whose `save()` and `delete()` tell observers,
 * registered per model class, what is about to happen and what happened, in the manner of
 * Laravel's model observers (`creating`, `created`, …) and Django's model signals (`pre_save`,
 * `post_save`, … with a `sender` filter and `dispatch_uid`). An observer of an "-ing" event can
 * veto: then no "-ed" event fires and nothing is saved or deleted.
 *
 * @module
 */
import { badArgument, describeModel, VetoError } from "./errors";
import { ObserverError } from "./subject";

// Exported here too, where it always was: `errors.ts` holds it, beside the lesson's other errors.
export { VetoError } from "./errors";

// #region types
/**
 * The events an observer hears before a change, and can veto by returning `false`.
 * `saving` comes before both `creating` and `updating`.
 *
 * @example
 * ```ts
 * const before: VetoableEvent[] = ["saving", "creating", "updating", "deleting"];
 * ```
 */
export type VetoableEvent = "saving" | "creating" | "updating" | "deleting";

/**
 * The events an observer hears after a change has been stored. `saved` comes after both
 * `created` and `updated`.
 *
 * @example
 * ```ts
 * const after: CompletedEvent[] = ["created", "updated", "saved", "deleted"];
 * ```
 */
export type CompletedEvent = "created" | "updated" | "saved" | "deleted";

/**
 * Every lifecycle event, in the order a save fires them: `saving`, `creating` or `updating`,
 * `created` or `updated`, `saved`; a delete fires `deleting`, `deleted`.
 *
 * @example
 * ```ts
 * const event: LifecycleEvent = "created";
 * ```
 */
export type LifecycleEvent = VetoableEvent | CompletedEvent;

/**
 * What the repository stores: any object with an optional numeric `id`. A model without an `id`
 * is new; `save()` assigns one once the save is no longer vetoable.
 *
 * @example
 * ```ts
 * class Post implements Model {
 *   id?: number;
 *   constructor(public title: string) {}
 * }
 * ```
 */
export interface Model {
  id?: number | undefined;
}

/**
 * A model class: the sender an observer is registered for. Only models whose class is exactly
 * this one reach the observer (not subclasses), as with Django's `sender` and Laravel's `observe`.
 *
 * @example
 * ```ts
 * const sender: ModelClass<Post> = Post;
 * ```
 */
export type ModelClass<M extends Model = Model> = abstract new (...args: never) => M;

/**
 * A lifecycle observer: an object with a method for each event it cares about. A method for an
 * "-ing" event vetoes the change by returning `false` (exactly `false`: returning nothing is
 * not a veto). Methods are called with the observer as `this`.
 *
 * @example
 * ```ts
 * const noEmptyTitles: ModelObserver<Post> = {
 *   saving: (post) => post.title.trim() !== "",
 *   created: (post) => console.log(`new post #${post.id}`),
 * };
 * ```
 */
export type ModelObserver<M> = {
  // `void` is what a method that returns nothing is typed as; `false` is the veto.
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing, or a verdict
  readonly [E in VetoableEvent]?: (model: M) => boolean | void;
} & {
  readonly [E in CompletedEvent]?: (model: M) => void;
};

/**
 * Options of {@link Repository.observe}.
 *
 * @example
 * ```ts
 * repository.observe(Post, new SearchIndexer(), { uid: "search-index" });
 * ```
 */
export interface ObserveOptions {
  /**
   * An identity for the registration, like Django's `dispatch_uid`: a second registration with
   * the same uid for the same model class is ignored, even with another observer object (the
   * module that registers it was loaded twice, say).
   */
  readonly uid?: string;
}
// #endregion types

const EVENTS: readonly LifecycleEvent[] = [
  "saving",
  "creating",
  "updating",
  "created",
  "updated",
  "saved",
  "deleting",
  "deleted",
];

interface Registration {
  readonly observer: ModelObserver<Model>;
  readonly uid: string | undefined;
  live: boolean;
}

interface Veto {
  readonly event: VetoableEvent;
  readonly observer: object;
}

/**
 * An in-memory repository that fires lifecycle events to observers registered per model class.
 * It stores copies: `find()` returns a fresh copy each time, and changing a model changes nothing
 * stored until `save()` succeeds.
 *
 * Failures follow the same rule as a `Subject`'s rounds: every observer of the event runs,
 * then the failures are thrown together as an `AggregateError` of `ObserverError`s. A failure
 * before the change cancels it, like a veto; a failure after it leaves the change in place (the
 * error message says so). A veto, unlike a failure, ends its round: later "-ing" observers would
 * be preparing for a change that is not going to happen.
 *
 * @example
 * ```ts
 * class Post { id?: number; constructor(public title: string) {} }
 * const repository = new Repository();
 * repository.observe(Post, {
 *   creating: (post) => post.title !== "", // veto untitled posts
 *   created: (post) => console.log(`created post #${post.id}`),
 * });
 * repository.save(new Post("")); // false: vetoed, nothing stored
 * repository.save(new Post("Hello")); // true; logs "created post #1"
 * ```
 */
export class Repository {
  /** Per model class; each array is replaced, never changed, so a round can iterate its own. */
  readonly #observers = new Map<ModelClass, readonly Registration[]>();
  readonly #rows = new Map<ModelClass, Map<number, Model>>();
  readonly #lastIds = new Map<ModelClass, number>();

  // #region observe
  /**
   * Registers an observer for the models of exactly `modelClass`. Registering the same observer
   * object again, or another one under the same `uid`, for the same class changes nothing.
   *
   * @returns A function that removes this registration and returns whether it did (true once).
   * @throws TypeError if `modelClass` is not a class, `observer` has no lifecycle method (or has
   * one that is not a function), or `options.uid` is not a string.
   *
   * @example
   * ```ts
   * const stop = repository.observe(Post, { deleted: (post) => console.log(`bye #${post.id}`) });
   * stop();
   * ```
   */
  observe<M extends Model>(
    modelClass: ModelClass<M>,
    observer: ModelObserver<M>,
    options: ObserveOptions = {},
  ): () => boolean {
    // (`= {}` stands for an omitted argument only: `null` is refused below by name.)
    if (typeof modelClass !== "function") {
      throw badArgument("modelClass", "a class", modelClass);
    }
    checkObserver(observer);
    if (typeof options !== "object" || options === null) {
      throw badArgument("options", "an object", options);
    }
    let uid: unknown;
    try {
      uid = options.uid;
    } catch {
      throw badArgument("options", "an object whose properties can be read", options);
    }
    if (uid !== undefined && typeof uid !== "string") {
      throw badArgument("options.uid", "a string", uid);
    }
    const sender = modelClass as ModelClass;
    const registrations = this.#observers.get(sender) ?? [];
    const existing = registrations.find(
      (r) => r.observer === observer || (uid !== undefined && r.uid === uid),
    );
    if (existing !== undefined) return () => this.#unobserve(sender, existing);
    const registration: Registration = {
      observer: observer as ModelObserver<Model>,
      uid,
      live: true,
    };
    this.#observers.set(sender, [...registrations, registration]);
    return () => this.#unobserve(sender, registration);
  }
  // #endregion observe

  /**
   * Saves a copy of `model`: fires `saving`, then `creating` (no `id` yet, or one not stored) or
   * `updating`; unless one of them vetoed, stores the copy (assigning an `id` to a new model) and
   * fires `created` or `updated`, then `saved`.
   *
   * @returns `true` if saved, `false` if an observer vetoed (and nothing was stored).
   * @throws AggregateError of `ObserverError`s if observers threw (before the change: it was
   * cancelled; after it: it was kept).
   * @throws TypeError if `model` is not an object, or its `id` neither undefined nor an integer.
   *
   * @example
   * ```ts
   * const post = new Post("Hello");
   * repository.save(post); // true
   * post.id; // 1
   * ```
   */
  save(model: Model): boolean {
    return this.#save(model) === undefined;
  }

  /**
   * Like {@link Repository.save}, but a veto throws a {@link VetoError}.
   *
   * @throws VetoError if an observer vetoed; nothing was stored.
   *
   * @example
   * ```ts
   * repository.saveOrFail(new Post("")); // VetoError: Post (new): observer.creating() vetoed the save…
   * ```
   */
  saveOrFail(model: Model): void {
    const veto = this.#save(model);
    if (veto !== undefined) throw new VetoError(veto.event, model, veto.observer);
  }

  /**
   * Deletes a stored model: fires `deleting`; unless it vetoed, removes the row and fires
   * `deleted`. A model that is not stored fires nothing.
   *
   * @returns `true` if deleted; `false` if vetoed or not stored.
   * @throws AggregateError of `ObserverError`s if observers threw.
   * @throws TypeError if `model` is not an object.
   *
   * @example
   * ```ts
   * repository.delete(post); // true, unless a deleting() observer returned false
   * ```
   */
  delete(model: Model): boolean {
    const outcome = this.#delete(model);
    return outcome === "deleted";
  }

  /**
   * Like {@link Repository.delete}, but a veto throws a {@link VetoError} and a model that is not
   * stored throws a RangeError.
   *
   * @throws VetoError if an observer vetoed; nothing was deleted.
   * @throws RangeError if the model is not stored.
   *
   * @example
   * ```ts
   * repository.deleteOrFail(post);
   * ```
   */
  deleteOrFail(model: Model): void {
    const outcome = this.#delete(model);
    if (outcome === "missing") {
      throw new RangeError(`${describeModel(model)} is not stored, so it cannot be deleted`);
    }
    if (outcome !== "deleted") throw new VetoError(outcome.event, model, outcome.observer);
  }

  /**
   * A fresh copy of the stored model of `modelClass` with this `id`, or `undefined`.
   *
   * @example
   * ```ts
   * repository.find(Post, 1)?.title; // "Hello"
   * ```
   */
  find<M extends Model>(modelClass: ModelClass<M>, id: number): M | undefined {
    const row = this.#rows.get(modelClass as ModelClass)?.get(id);
    return row === undefined ? undefined : (copy(row) as M);
  }

  /**
   * Fresh copies of every stored model of `modelClass`, in `id` order.
   *
   * @example
   * ```ts
   * repository.all(Post).map((post) => post.title);
   * ```
   */
  all<M extends Model>(modelClass: ModelClass<M>): M[] {
    const rows = [...(this.#rows.get(modelClass as ModelClass)?.values() ?? [])];
    return rows.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)).map((row) => copy(row) as M);
  }

  // #region save
  #save(model: Model): Veto | undefined {
    const sender = senderOf(model);
    const { id } = model;
    if (id !== undefined && !Number.isSafeInteger(id)) {
      throw badArgument("model.id", "an integer or undefined", id);
    }
    const rows = this.#rowsOf(sender);
    const creating = id === undefined || !rows.has(id);
    const veto =
      this.#before(sender, "saving", model) ??
      this.#before(sender, creating ? "creating" : "updating", model);
    if (veto !== undefined) return veto; // nothing stored, no "-ed" event
    const lastId = this.#lastIds.get(sender) ?? 0;
    const newId = id ?? lastId + 1;
    this.#lastIds.set(sender, Math.max(lastId, newId));
    model.id = newId;
    rows.set(newId, copy(model)); // a copy: changing `model` later changes nothing stored
    this.#after(sender, [creating ? "created" : "updated", "saved"], model);
    return undefined;
  }
  // #endregion save

  #delete(model: Model): Veto | "deleted" | "missing" {
    const sender = senderOf(model);
    const rows = this.#rows.get(sender);
    if (model.id === undefined || rows === undefined || !rows.has(model.id)) return "missing";
    const veto = this.#before(sender, "deleting", model);
    if (veto !== undefined) return veto;
    rows.delete(model.id);
    this.#after(sender, ["deleted"], model);
    return "deleted";
  }

  // #region before
  /**
   * Runs the observers of a vetoable event. Returns the veto, if one came; throws the failures,
   * if any, after every observer up to the veto has run (a failure cancels the change too).
   */
  #before(sender: ModelClass, event: VetoableEvent, model: Model): Veto | undefined {
    let failures: ObserverError<object>[] | undefined;
    let veto: Veto | undefined;
    for (const { observer, live } of this.#observers.get(sender) ?? []) {
      const hook = observer[event];
      if (!live || hook === undefined) continue;
      let verdict: unknown;
      try {
        verdict = hook.call(observer, model);
      } catch (error) {
        failures ??= [];
        // Never throws, whatever was thrown: errors.ts describes any value safely.
        failures.push(new ObserverError(observer, error, event));
        continue;
      }
      if (verdict === false) {
        veto = { event, observer };
        break;
      }
    }
    if (failures !== undefined) {
      throw new AggregateError(
        failures,
        `${describeModel(model)}: ${failures.length} ${event} observer(s) failed; nothing was changed`,
      );
    }
    return veto;
  }
  // #endregion before

  /** Runs the observers of completed events; every one runs, then failures are thrown together. */
  #after(sender: ModelClass, events: readonly CompletedEvent[], model: Model): void {
    let failures: ObserverError<object>[] | undefined;
    for (const event of events) {
      for (const registration of this.#observers.get(sender) ?? []) {
        const hook = registration.observer[event];
        if (!registration.live || hook === undefined) continue;
        try {
          hook.call(registration.observer, model);
        } catch (error) {
          failures ??= [];
          failures.push(new ObserverError(registration.observer, error, event));
        }
      }
    }
    if (failures !== undefined) {
      throw new AggregateError(
        failures,
        `${describeModel(model)}: ${failures.length} observer(s) failed after ${events.join(" and ")}; the change was kept`,
      );
    }
  }

  #unobserve(sender: ModelClass, registration: Registration): boolean {
    if (!registration.live) return false;
    registration.live = false; // a round under way skips it from now on
    // Stryker disable next-line ArrayDeclaration: a live registration's class always has its list, so the fallback never runs
    const remaining = (this.#observers.get(sender) ?? []).filter((r) => r !== registration);
    if (remaining.length === 0) this.#observers.delete(sender);
    else this.#observers.set(sender, remaining);
    return true;
  }

  #rowsOf(sender: ModelClass): Map<number, Model> {
    let rows = this.#rows.get(sender);
    if (rows === undefined) {
      rows = new Map();
      this.#rows.set(sender, rows);
    }
    return rows;
  }
}

function senderOf(model: Model): ModelClass {
  if (typeof model !== "object" || model === null) {
    throw badArgument("model", "an object", model);
  }
  let sender: unknown;
  try {
    // Stryker disable next-line OptionalChaining: without `?.` a null prototype throws here, is caught, and is refused below just as an undefined constructor is
    sender = Object.getPrototypeOf(model)?.constructor;
  } catch {
    // a Proxy whose traps throw: not a model, and said so by name below
  }
  if (typeof sender !== "function") {
    throw badArgument("model", "an instance of a model class", model);
  }
  return sender as ModelClass;
}

function checkObserver(observer: unknown): asserts observer is ModelObserver<Model> {
  if (typeof observer !== "object" || observer === null) {
    throw badArgument("observer", "an object with lifecycle methods", observer);
  }
  let hooks = 0;
  for (const event of EVENTS) {
    let hook: unknown;
    try {
      hook = (observer as Record<string, unknown>)[event];
    } catch {
      throw badArgument("observer", "an object whose lifecycle methods can be read", observer);
    }
    if (hook === undefined) continue;
    if (typeof hook !== "function") {
      throw badArgument(`observer.${event}`, "a function", hook);
    }
    // Stryker disable next-line UpdateOperator: `hooks` is only compared with 0, which counting down from 0 never reaches either
    hooks++;
  }
  if (hooks === 0) {
    const what = `an object with at least one lifecycle method (${EVENTS.map((e) => `${e}()`).join(", ")})`;
    throw badArgument("observer", what, observer);
  }
}

/** A shallow copy with the same class, so `find()` returns a `Post`, not a plain object. */
function copy(model: Model): Model {
  return Object.assign(Object.create(Object.getPrototypeOf(model)), model);
}
