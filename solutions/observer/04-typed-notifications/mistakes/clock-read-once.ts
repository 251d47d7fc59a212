// Mistake: the shared-timestamp bug again, one level up: notifier() reads the clock once, when
// the factory is made, and every notification it creates carries that one time.
// Caught by "creates notifications stamped by its clock, asked once per notification" and
// "uses the current time when no clock is given".
export { createNotification, type Notification, type NotificationOf } from "../notification";

import { createNotification, type Notification } from "../notification";

export function notifier<Events extends object>(
  clock: () => number = Date.now,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  const now = clock();
  return (event, payload) => createNotification(event, payload, now);
}
