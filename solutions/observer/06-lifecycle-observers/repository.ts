/** Heard before a change; returning `false` vetoes it. */
export type VetoableEvent = "creating" | "updating" | "deleting";

/** Heard after a change has been stored. */
export type CompletedEvent = "created" | "updated" | "deleted";

/** What the repository stores: an object with an optional numeric id (none yet: a new model). */
export interface Model {
  id?: number | undefined;
}

/** A model class: the sender observers are registered for. */
export type ModelClass<M extends Model = Model> = abstract new (...args: never) => M;

/** An object with a method per event it cares about; an "-ing" method returning false vetoes. */
export type ModelObserver<M> = {
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing, or a verdict
  readonly [E in VetoableEvent]?: (model: M) => boolean | void;
} & {
  readonly [E in CompletedEvent]?: (model: M) => void;
};

/** A shallow copy of `model` with the same class: what the repository stores and returns. */
export function copy<M extends Model>(model: M): M {
  return Object.assign(Object.create(Object.getPrototypeOf(model)), model);
}

/** The observers of a class nobody observes: one shared empty list (observe() copies it). */
const NO_OBSERVERS: readonly ModelObserver<Model>[] = [];

/**
 * An in-memory repository whose save() and delete() tell the observers of the model's class
 * (and only those) what is about to happen and what happened. An "-ing" observer can veto.
 */
export class Repository {
  /** Stored copies, per model class, by id. */
  readonly #rows = new Map<ModelClass, Map<number, Model>>();
  /** Observers per model class: the sender filter is this map's key. */
  readonly #observers = new Map<ModelClass, readonly ModelObserver<Model>[]>();
  /** The last id given out per class: a count of rows would give a deleted model's id again. */
  readonly #lastIds = new Map<ModelClass, number>();

  observe<M extends Model>(modelClass: ModelClass<M>, observer: ModelObserver<M>): void {
    const observers = this.#observers.get(modelClass) ?? NO_OBSERVERS;
    if (!observers.includes(observer as ModelObserver<Model>)) {
      this.#observers.set(modelClass, [...observers, observer as ModelObserver<Model>]);
    }
  }

  save(model: Model): boolean {
    const sender = model.constructor as ModelClass;
    const rows = this.#rowsOf(sender);
    const creating = model.id === undefined || !rows.has(model.id);
    if (!this.#allow(sender, creating ? "creating" : "updating", model)) return false;
    // The next id of its class, even for a model that came with an id of its own: that id is not
    // stored, and keeping it could collide with an id given out later.
    if (creating) model.id = this.#nextId(sender);
    rows.set(model.id as number, copy(model)); // a copy: a later change to `model` is not a save
    this.#tell(sender, creating ? "created" : "updated", model);
    return true;
  }

  delete(model: Model): boolean {
    const sender = model.constructor as ModelClass;
    const rows = this.#rowsOf(sender);
    if (model.id === undefined || !rows.has(model.id)) return false;
    if (!this.#allow(sender, "deleting", model)) return false;
    rows.delete(model.id);
    this.#tell(sender, "deleted", model);
    return true;
  }

  /** Asks the observers of an "-ing" event; the first `false` (exactly false) vetoes. */
  #allow(sender: ModelClass, event: VetoableEvent, model: Model): boolean {
    for (const observer of this.#observers.get(sender) ?? NO_OBSERVERS) {
      // observer[event]?.(model), not a detached method: `this` must be the observer.
      if (observer[event]?.(model) === false) return false;
    }
    return true;
  }

  #nextId(sender: ModelClass): number {
    const id = (this.#lastIds.get(sender) ?? 0) + 1;
    this.#lastIds.set(sender, id);
    return id;
  }

  #tell(sender: ModelClass, event: CompletedEvent, model: Model): void {
    for (const observer of this.#observers.get(sender) ?? NO_OBSERVERS) observer[event]?.(model);
  }

  #rowsOf(sender: ModelClass): Map<number, Model> {
    const rows = this.#rows.get(sender) ?? new Map<number, Model>();
    this.#rows.set(sender, rows);
    return rows;
  }

  /** A fresh copy of the stored model of `modelClass` with this id, or undefined. */
  find<M extends Model>(modelClass: ModelClass<M>, id: number): M | undefined {
    const row = this.#rows.get(modelClass)?.get(id);
    return row === undefined ? undefined : (copy(row) as M);
  }
}
