// Mistake: the event name is trusted. The types stop a TypeScript caller, but JavaScript callers
// and values from outside (a message queue, a config file) can pass "" or undefined, and an
// observer that switches on the event then silently matches nothing.
// Caught by "rejects … as the event with a TypeError naming `event`".
export type { Notification, NotificationOf } from "../notification";

import type { Notification } from "../notification";

export function createNotification<E extends string, P>(
  event: E,
  payload: P,
  timestamp: number = Date.now(),
): Notification<E, P> {
  return Object.freeze({ event, payload: Object.freeze(payload), timestamp });
}

export function notifier<Events extends object>(
  clock: () => number = Date.now,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  return (event, payload) => createNotification(event, payload, clock());
}
