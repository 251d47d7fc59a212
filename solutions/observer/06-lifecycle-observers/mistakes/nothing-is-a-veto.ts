// Mistake: any falsy result counts as a veto, so a hook that returns nothing (most of them: it
// logs, or sends a mail) silently cancels every save. Laravel and this kata veto on `false` only.
// Caught by "is only `false`: an observer that returns nothing lets the change through".
export {
  type CompletedEvent,
  copy,
  type Model,
  type ModelClass,
  type ModelObserver,
  type VetoableEvent,
} from "../repository";

import {
  type CompletedEvent,
  copy,
  type Model,
  type ModelClass,
  type ModelObserver,
  type VetoableEvent,
} from "../repository";

/**
 * An in-memory repository whose save() and delete() tell the observers of the model's class
 * (and only those) what is about to happen and what happened. An "-ing" observer can veto.
 */
export class Repository {
  /** Stored copies, per model class, by id. */
  readonly #rows = new Map<ModelClass, Map<number, Model>>();
  /** Observers per model class: the sender filter is this map's key. */
  readonly #observers = new Map<ModelClass, ModelObserver<Model>[]>();
  /** The last id given out per class: a count of rows would give a deleted model's id again. */
  readonly #lastIds = new Map<ModelClass, number>();

  observe<M extends Model>(modelClass: ModelClass<M>, observer: ModelObserver<M>): void {
    const observers = this.#observers.get(modelClass) ?? [];
    if (!observers.includes(observer as ModelObserver<Model>)) {
      this.#observers.set(modelClass, [...observers, observer as ModelObserver<Model>]);
    }
  }

  save(model: Model): boolean {
    const sender = model.constructor as ModelClass;
    const rows = this.#rowsOf(sender);
    const creating = model.id === undefined || !rows.has(model.id);
    if (!this.#allow(sender, creating ? "creating" : "updating", model)) return false;
    const lastId = this.#lastIds.get(sender) ?? 0;
    model.id ??= lastId + 1;
    this.#lastIds.set(sender, Math.max(lastId, model.id));
    rows.set(model.id, copy(model)); // a copy: a later change to `model` is not a save
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
    for (const observer of this.#observers.get(sender) ?? []) {
      if (observer[event] !== undefined && !observer[event](model)) return false;
    }
    return true;
  }

  #tell(sender: ModelClass, event: CompletedEvent, model: Model): void {
    for (const observer of this.#observers.get(sender) ?? []) observer[event]?.(model);
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
