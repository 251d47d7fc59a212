/**
 * One notification: which event happened, its payload, and when the notification was created
 * (ms since the epoch). Frozen, payload included.
 */
export interface Notification<E extends string = string, P = unknown> {
  readonly event: E;
  readonly payload: Readonly<P>;
  // A number, not a Date: a frozen Date can still be changed with setTime().
  readonly timestamp: number;
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
  // `readonly` is checked by the compiler only; freezing is what stops an observer at run time.
  return Object.freeze({ event, payload: Object.freeze(payload), timestamp });
}

/** A notification factory for the events of `Events`, whose timestamps come from `clock`. */
export function notifier<Events extends object>(
  clock: () => number = Date.now,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  // clock() is called inside the returned function: once per notification, not once here.
  return (event, payload) => createNotification(event, payload, clock());
}
