/**
 * Typed, immutable notifications: what a subject tells its observers, as one frozen value with an
 * event name, a payload and the time the notification was created.
 *
 * @module
 */
import { badArgument } from "./errors";

// #region types
/**
 * A value that cannot be changed through this type: plain objects and arrays are read-only all
 * the way down. Functions, dates, maps and sets are left as they are (they are not frozen either).
 *
 * @example
 * ```ts
 * const reading: Immutable<{ station: { id: string } }> = { station: { id: "A1" } };
 * reading.station.id = "B2"; // compile error
 * ```
 */
export type Immutable<T> = T extends
  | ((...args: never) => unknown)
  | Date
  | RegExp
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>
  ? T
  : T extends object
    ? { readonly [K in keyof T]: Immutable<T[K]> }
    : T;

/**
 * One notification: which event happened, its payload, and when the notification was created
 * (milliseconds since the epoch, like `Date.now()`). Frozen, payload included, so no observer can
 * change what the next one sees.
 *
 * @example
 * ```ts
 * const reading: Notification<"temperature", { celsius: number }> =
 *   createNotification("temperature", { celsius: 23.5 });
 * ```
 */
export interface Notification<E extends string = string, P = unknown> {
  readonly event: E;
  readonly payload: Immutable<P>;
  /** When the notification was created, in ms since the epoch. A number: a frozen `Date` can still be changed with `setTime()`. */
  readonly timestamp: number;
}

/**
 * The union of the notifications an event map describes, one member per event, so that checking
 * `event` narrows `payload`.
 *
 * @example
 * ```ts
 * interface WeatherEvents { temperature: { celsius: number }; wind: { kmh: number } }
 * function show(n: NotificationOf<WeatherEvents>) {
 *   if (n.event === "wind") console.log(n.payload.kmh); // payload is { kmh: number } here
 * }
 * ```
 */
export type NotificationOf<Events extends object> = {
  [E in keyof Events & string]: Notification<E, Events[E]>;
}[keyof Events & string];

/**
 * Options of {@link createNotification}.
 *
 * @example
 * ```ts
 * createNotification("tick", null, { timestamp: Date.parse("2024-01-01T00:00:00Z") });
 * ```
 */
export interface NotificationOptions {
  /** The creation time to record instead of now (for replaying or importing events). */
  readonly timestamp?: number;
}

/**
 * Options of {@link notifier}.
 *
 * @example
 * ```ts
 * let now = 0;
 * const make = notifier<{ tick: null }>({ clock: () => now++ });
 * ```
 */
export interface NotifierOptions {
  /** Where timestamps come from; `Date.now` by default. Called once per notification. */
  readonly clock?: () => number;
}
// #endregion types

// #region create
/**
 * Creates a notification, frozen, with its own timestamp: taken now, when *this* notification is
 * created, unless `options.timestamp` gives one. The payload is frozen in place, recursively
 * through plain objects and arrays, so pass data you will not change afterwards (or a copy).
 *
 * @throws TypeError if `event` is not a non-empty string, `options.timestamp` not a finite number,
 * or the payload cannot be frozen (a Proxy whose traps throw).
 *
 * @example
 * ```ts
 * const n = createNotification("temperature", { celsius: 23.5 });
 * n.event; // "temperature"
 * Object.isFrozen(n.payload); // true
 * ```
 */
export function createNotification<E extends string, P>(
  event: E,
  payload: P,
  options?: NotificationOptions,
): Notification<E, P> {
  if (typeof event !== "string" || event === "") {
    throw badArgument("event", "a non-empty string", event);
  }
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw badArgument("options", "an object", options);
  }
  // Evaluated on every call, not once: the source article's `timestamp = datetime.utcnow()`
  // dataclass default ran once, at import, and stamped every notification with the same time.
  let timestamp: unknown;
  try {
    timestamp = options?.timestamp ?? Date.now();
  } catch {
    throw badArgument("options", "an object whose properties can be read", options);
  }
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
    throw badArgument("options.timestamp", "a finite number", timestamp);
  }
  let frozen: Immutable<P>;
  try {
    frozen = deepFreeze(payload) as Immutable<P>;
  } catch {
    // A Proxy whose traps throw, or a revoked one, cannot be frozen or even looked at.
    throw badArgument("payload", "a value that can be frozen", payload);
  }
  return Object.freeze({ event, payload: frozen, timestamp });
}
// #endregion create

/**
 * A notification factory typed by an event map: only the map's events, each with its own payload
 * type, and timestamps from an injectable clock.
 *
 * @example
 * ```ts
 * interface WeatherEvents { temperature: { celsius: number }; wind: { kmh: number } }
 * const weather = notifier<WeatherEvents>();
 * weather("wind", { kmh: 12 }); // Notification<"wind", { kmh: number }>
 * weather("wind", { celsius: 3 }); // compile error
 * ```
 */
export function notifier<Events extends object>(
  options?: NotifierOptions,
): <E extends keyof Events & string>(event: E, payload: Events[E]) => Notification<E, Events[E]> {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw badArgument("options", "an object", options);
  }
  let clock: unknown;
  try {
    clock = options?.clock ?? Date.now;
  } catch {
    throw badArgument("options", "an object whose properties can be read", options);
  }
  if (typeof clock !== "function") {
    throw badArgument("options.clock", "a function", clock);
  }
  const now = clock as () => number;
  return (event, payload) => createNotification(event, payload, { timestamp: now() });
}

/** Freezes plain objects and arrays, recursively; leaves other objects (dates, maps, models) be. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  // Frozen before its children are visited, so a cycle ends at the isFrozen check above.
  Object.freeze(value);
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if ("value" in descriptor) deepFreeze(descriptor.value);
  }
  return value;
}
