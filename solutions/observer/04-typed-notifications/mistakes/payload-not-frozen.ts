// Mistake: the notification is frozen but its payload is not, so `n.payload.celsius = 99` in
// one observer changes what every later observer sees. Object.freeze() is shallow.
// Caught by "freezes the payload, so one observer cannot change what the next one sees".
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
  return Object.freeze({ event, payload, timestamp });
}

export function notifier<Events extends object>(
  clock: () => number = Date.now,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  return (event, payload) => createNotification(event, payload, clock());
}
