// Approach: A class that freezes its instances, instead of a frozen object literal
//
// - Gains: `n instanceof Notification` tells a real notification from a look-alike, the checks
//   and the freezing live in the one constructor, and methods (an `age()`, a `toJSON()`) have a
//   natural home on the prototype.
// - Costs: a class freezing `this` cannot be usefully subclassed (a subclass's fields come after
//   the freeze and throw), and a notification that crosses a boundary (structuredClone, JSON, a
//   worker) comes back a plain object that fails `instanceof`. The answer key's plain data has no
//   such seam.

/**
 * One notification: which event happened, its payload, and when the notification was created
 * (ms since the epoch). Frozen, payload included.
 */
export class Notification<E extends string = string, P = unknown> {
  readonly event: E;
  readonly payload: Readonly<P>;
  // A number, not a Date: a frozen Date can still be changed with setTime().
  readonly timestamp: number;

  constructor(event: E, payload: P, timestamp: number) {
    if (typeof event !== "string" || event === "") {
      throw new TypeError("`event` must be a non-empty string");
    }
    this.event = event;
    this.payload = Object.freeze(payload);
    this.timestamp = timestamp;
    Object.freeze(this);
  }
}

/** The union of the notifications of an event map, one member per event. */
export type NotificationOf<Events extends object> = {
  [E in keyof Events & string]: Notification<E, Events[E]>;
}[keyof Events & string];

/**
 * A frozen notification of `event` with `payload` (frozen too), stamped with the time it is
 * created. A TypeError naming `event` if `event` is not a non-empty string.
 */
export function createNotification<E extends string, P>(
  event: E,
  payload: P,
  timestamp: number = Date.now(), // a default is evaluated at each call, unlike Python's
): Notification<E, P> {
  if (typeof event !== "string" || event === "") {
    throw new TypeError("`event` must be a non-empty string");
  }
  return new Notification(event, payload, timestamp);
}

/** A notification factory for the events of `Events`, whose timestamps come from `clock`. */
export function notifier<Events extends object>(
  clock: () => number = Date.now,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  // clock() is called inside the returned function: once per notification, not once here.
  return (event, payload) => createNotification(event, payload, clock());
}
