/**
 * One notification: which event happened, its payload, and when the notification was created
 * (ms since the epoch). Frozen, payload included.
 */
// biome-ignore lint/correctness/noUnusedVariables: loose until the TODO puts E and P to use
export interface Notification<E extends string = string, P = unknown> {
  // TODO: make every field read-only, type `event` as E and `payload` as Readonly<P>.
  event: string;
  payload: unknown;
  timestamp: number;
}

/** The union of the notifications of an event map, one member per event. */
// TODO: map each event name E of Events to Notification<E, Events[E]>, then take the union.
// biome-ignore lint/correctness/noUnusedVariables: loose until the TODO puts Events to use
export type NotificationOf<Events extends object> = Notification;

/**
 * A frozen notification of `event` with `payload` (frozen too), stamped with the time it is
 * created. A TypeError naming `event` if `event` is not a non-empty string.
 */
export function createNotification<E extends string, P>(event: E, payload: P): Notification<E, P> {
  // TODO: check `event`, take the time now, freeze the payload and the notification.
  throw new Error(
    `TODO(observer/04): implement createNotification(${JSON.stringify(event)}, ${typeof payload})`,
  );
}

/** A notification factory for the events of `Events`, whose timestamps come from `clock`. */
// biome-ignore lint/correctness/noUnusedVariables: loose until the TODO puts Events to use
export function notifier<Events extends object>(
  clock: () => number = Date.now,
): (event: string, payload: unknown) => Notification {
  // TODO: type the returned function by Events, and stamp each notification with clock().
  throw new Error(`TODO(observer/04): implement notifier() (given a ${typeof clock} clock)`);
}
