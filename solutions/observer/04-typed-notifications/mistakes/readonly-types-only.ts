// Mistake: the fields are `readonly` in the type, and the author stopped there. `readonly` is
// checked by the compiler only: at run time an observer (or any JavaScript caller, or a cast)
// can still change the notification for every observer after it.
// Caught by "freezes the notification: assigning a field throws" and "freezes the payload, …".
export type { Notification, NotificationOf } from "../notification";

import type { Notification } from "../notification";

export function createNotification<E extends string, P>(
  event: E,
  payload: P,
  timestamp: number = Date.now(),
): Notification<E, P> {
  if (typeof event !== "string" || event === "") {
    throw new TypeError("`event` must be a non-empty string");
  }
  return { event, payload, timestamp };
}

export function notifier<Events extends object>(
  clock: () => number = Date.now,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  return (event, payload) => createNotification(event, payload, clock());
}
