// Mistake: the source article's dataclass bug in TypeScript clothes. `timestamp: datetime =
// datetime.utcnow()` was evaluated once, when the class was defined; here the default time is
// taken once, when the module is loaded, and every notification carries it.
// Caught by "holds the event name, the payload and the time it was created" and "stamps each
// notification with the time it was created, not one shared time".
export type { Notification, NotificationOf } from "../notification";

import type { Notification } from "../notification";

const DEFAULTS = { timestamp: Date.now() };

export function createNotification<E extends string, P>(
  event: E,
  payload: P,
  timestamp: number = DEFAULTS.timestamp,
): Notification<E, P> {
  if (typeof event !== "string" || event === "") {
    throw new TypeError("`event` must be a non-empty string");
  }
  return Object.freeze({ event, payload: Object.freeze(payload), timestamp });
}

export function notifier<Events extends object>(
  clock: () => number = Date.now,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  return (event, payload) => createNotification(event, payload, clock());
}
