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

/**
 * An in-memory repository whose save() and delete() tell the observers of the model's class
 * (and only those) what is about to happen and what happened. An "-ing" observer can veto.
 */
export class Repository {
  /** Stored copies, per model class, by id. */
  readonly #rows = new Map<ModelClass, Map<number, Model>>();

  // TODO: keep observers per model class, and the last id given out per model class.

  /** Registers `observer` for the models of exactly `modelClass` (once, however often). */
  observe<M extends Model>(modelClass: ModelClass<M>, observer: ModelObserver<M>): void {
    // TODO: add `observer` to the list of `modelClass`, unless it is there already.
    throw new Error(`TODO(observer/06): implement observe(${modelClass.name}, ${typeof observer})`);
  }

  /**
   * New model (no id, or an id not stored): creating, store a copy with the next id, created.
   * Stored model: updating, store a copy, updated. A veto stops it: nothing stored, no "-ed"
   * event, and save() returns false.
   */
  save(model: Model): boolean {
    // TODO: ask the -ing observers of model.constructor; unless one returned false, assign an id
    // (if new), store copy(model), and tell the -ed observers.
    throw new Error(`TODO(observer/06): implement save(${model.constructor.name})`);
  }

  /** Stored model: deleting, remove it, deleted. A veto keeps it, and delete() returns false. */
  delete(model: Model): boolean {
    // TODO: the same for deleting / deleted.
    throw new Error(`TODO(observer/06): implement delete(${model.constructor.name})`);
  }

  /** A fresh copy of the stored model of `modelClass` with this id, or undefined. */
  find<M extends Model>(modelClass: ModelClass<M>, id: number): M | undefined {
    const row = this.#rows.get(modelClass)?.get(id);
    return row === undefined ? undefined : (copy(row) as M);
  }
}
