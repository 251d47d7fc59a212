/**
 * The broker: typed topics, MQTT wildcards matched through a trie, anchored RegExp patterns,
 * priorities, `once`, isolated handler errors, and tracing ids carried across `await`s.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { decoratedHandlers } from "./decorators";
import { HandlerError, isRecursionLimit, RecursionLimitError, safeMessage } from "./errors";
import { anchored, describe, parsePattern } from "./topics";
import { runHandling, traceContext } from "./tracing";
import { TopicTrie } from "./trie";
import type {
  AnyTopics,
  Handler,
  KnownPattern,
  Message,
  MessageFor,
  MessageOf,
  TopicMap,
  TopicOf,
} from "./types";

// #region options
/**
 * Options of one subscription.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * broker.subscribe("order.#", audit, { priority: 10, signal: controller.signal });
 * broker.subscribe("order.paid", sendReceipt, { once: true });
 * controller.abort(); // unsubscribes `audit`
 * ```
 */
export interface SubscribeOptions {
  /**
   * Handlers with a higher priority run first; equal priorities run in subscription order.
   * A finite number; default 0.
   */
  readonly priority?: number;
  /** Unsubscribe before the first delivery, so the handler runs at most once. */
  readonly once?: boolean;
  /** Unsubscribe when this signal aborts. An already aborted signal subscribes nothing. */
  readonly signal?: AbortSignal;
}

/**
 * Options of one publish.
 *
 * @example
 * ```ts
 * broker.publish("http.request", req, { correlationId: req.headers["x-request-id"] });
 * ```
 */
export interface PublishOptions {
  /**
   * The chain this message belongs to, when it starts one on behalf of something outside the
   * broker (an HTTP request id). By default a message inherits the correlation id of the handler
   * publishing it, or uses its own id.
   */
  readonly correlationId?: string;
}

/**
 * How a broker reports asynchronous failures and builds its messages.
 *
 * @example
 * ```ts
 * const broker = new Broker<Topics>({
 *   onError: (error, message) => logger.error({ topic: message.topic, failures: error.errors }),
 * });
 * ```
 */
export interface BrokerOptions {
  /**
   * The error channel: receives, after they settle, the failures of the handlers of one message
   * whose promises rejected, as an `AggregateError` of {@link HandlerError}s. (Handlers that throw
   * synchronously make `publish()` throw instead.) Default: `console.error`. It should not
   * throw; if it does, the broker goes on, and reports what it threw as a process warning
   * (`process.emitWarning`, type `BrokerWarning`, printed on stderr unless you listen for
   * `"warning"`), since there is no safer channel left to report on.
   */
  readonly onError?: (error: AggregateError, message: Message) => void;
  /**
   * How long a chain of messages may grow (a handler publishing, whose handler publishes…) before
   * the next publish throws a {@link RecursionLimitError}. A positive integer or `Infinity`;
   * default {@link DEFAULT_MAX_DEPTH}.
   */
  readonly maxDepth?: number;
  /**
   * Makes message ids. Default: UUID-shaped ids made of a random prefix (from
   * `crypto.randomUUID`, renewed every 2⁴⁸ ids) and a counter: unique in the process, and several
   * times cheaper than a `crypto.randomUUID()` per message. They are ids, not secrets.
   */
  readonly createId?: () => string;
  /** The clock for `Message.timestamp`. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * What `subscribe()` returns: call it to unsubscribe (it returns whether it did, the first time
 * only). It is also `Disposable`, so a `using` declaration unsubscribes at the end of its block.
 *
 * @example
 * ```ts
 * {
 *   using subscription = broker.subscribe("chat.lobby", show);
 *   // … the lobby's messages are shown while in this block …
 * } // unsubscribed here, even if the block threw
 * ```
 */
export interface Subscription extends Disposable {
  (): boolean;
  /** The pattern it subscribed with (for a `register()`ed object, the patterns, comma-separated). */
  readonly pattern: string | RegExp;
  /** False once unsubscribed (by a call, `using`, `once`, a signal or `clear()`). */
  readonly active: boolean;
}
// #endregion options

/**
 * The default {@link BrokerOptions.maxDepth}: longer than any sane chain of events, short enough
 * to stop a ping-pong between two handlers at once.
 *
 * @example
 * ```ts
 * new Broker().maxDepth === DEFAULT_MAX_DEPTH; // true
 * ```
 */
export const DEFAULT_MAX_DEPTH = 32;

// #region entry
/** One subscription. `active` turns false when it ends: a round under way skips it from then on. */
class Entry {
  active = true;
  unlisten: (() => void) | undefined = undefined;
  /** What subscribe() returned; its `active` property is kept in step with the entry's. */
  subscription: { active: boolean } | undefined = undefined;

  constructor(
    /** Subscription order, the tie-breaker between equal priorities. */
    readonly seq: number,
    readonly pattern: string | RegExp,
    readonly handler: Handler<never>,
    readonly priority: number,
    readonly once: boolean,
    /** For a RegExp subscription: the anchored copy it is tested with. */
    readonly regex: RegExp | undefined,
  ) {}
}

const byPriority = (a: Entry, b: Entry): number => b.priority - a.priority || a.seq - b.seq;
/** The trie's `isLive`: an ended subscription is left in place and swept later. */
const isActive = (entry: Entry): boolean => entry.active;
// #endregion entry

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") &&
  value !== null &&
  typeof (value as { then?: unknown }).then === "function";

// The default createId's state: one random prefix per process, then a counter.
let idPrefix = "";
let idCount = 0;
const ID_COUNTER_LIMIT = 2 ** 48; // the 12 hex digits of a UUID's last group

/** The default id maker: see {@link BrokerOptions.createId}. */
function nextId(): string {
  if (idCount === 0 || idCount >= ID_COUNTER_LIMIT) {
    idPrefix = randomUUID().slice(0, 24); // "xxxxxxxx-xxxx-4xxx-yxxx-"
    idCount = 0;
  }
  idCount++;
  return idPrefix + idCount.toString(16).padStart(12, "0");
}

/**
 * Where a failure goes when the error channel itself threw: a process warning, built so that it
 * cannot throw again, whatever `onError` threw.
 */
function onErrorThrew(thrown: unknown, failures: AggregateError): void {
  try {
    process.emitWarning(
      `the broker's onError threw (${safeMessage(thrown)}) while reporting: ${failures.message}`,
      "BrokerWarning",
    );
  } catch {
    // emitWarning itself was replaced by one that throws: nowhere is left to report to
  }
}

function defaultOnError(error: AggregateError): void {
  console.error(error);
  for (const failure of error.errors) console.error(failure);
}

/**
 * A subscription whose state lives elsewhere: `isActive` is read on every access of `active`.
 * For subscriptions made of others (`register()`, the lifecycle bridge); the broker's own are
 * plain objects, cheaper to make (see `#subscribe`).
 *
 * @internal
 * @example
 * ```ts
 * const subscription = makeSubscription("a, b", () => parts.some((p) => p.active), stopAll);
 * ```
 */
export function makeSubscription(
  pattern: string | RegExp,
  isActive: () => boolean,
  unsubscribe: () => boolean,
): Subscription {
  const subscription = () => unsubscribe();
  return Object.defineProperties(subscription, {
    pattern: { value: pattern, enumerable: true },
    active: { get: isActive, enumerable: true },
    [Symbol.dispose]: { value: subscription },
  }) as Subscription;
}

/** A Subscription as the broker sees it: `active` is written when the entry retires. */
type OwnSubscription = Subscription & { active: boolean };

/** A subscription with plain properties: a getter made by `defineProperty` costs ten times more. */
function plainSubscription(pattern: string | RegExp, unsubscribe: () => boolean): OwnSubscription {
  const subscription = (() => unsubscribe()) as (() => boolean) & {
    pattern: string | RegExp;
    active: boolean;
    [Symbol.dispose]: () => void;
  };
  subscription.pattern = pattern;
  subscription.active = true;
  subscription[Symbol.dispose] = subscription;
  return subscription;
}

/**
 * A publish/subscribe broker over a topic map `T` (by default, any topic and any payload).
 *
 * - `subscribe(pattern, handler)` with a topic (`model.user.created`), an MQTT wildcard pattern
 *   (`model.+.created`, `model.#`) or a RegExp, which must match the whole topic.
 * - `publish(topic, payload)` delivers a frozen {@link Message} to every matching handler,
 *   higher priority first, then in subscription order, and returns how many received it.
 * - Every handler runs even when some throw; the synchronous failures are thrown together after
 *   the round as an `AggregateError` of {@link HandlerError}s, and the rejections of async
 *   handlers go to the `onError` channel.
 * - A handler unsubscribed during a round is not called later in it; one subscribed during a
 *   round first hears the next message.
 * - A message published from a handler, even after an `await`, inherits its correlation id.
 *
 * @example
 * ```ts
 * type Topics = { "model.user.created": { id: string }; "model.user.deleted": { id: string } };
 * const broker = new Broker<Topics>();
 * broker.subscribe("model.user.+", (m) => console.log(m.topic, m.payload.id));
 * broker.publish("model.user.created", { id: "u1" }); // logs "model.user.created u1", returns 1
 * ```
 */
export class Broker<T extends TopicMap = AnyTopics> {
  /** See {@link BrokerOptions.maxDepth}. */
  readonly maxDepth: number;

  // #region state
  /** The string-pattern subscriptions, each pattern's entries kept in delivery order. */
  readonly #trie = new TopicTrie<Entry>(byPriority, isActive);
  /**
   * The RegExp subscriptions. They cannot go in the trie, so every publish tests each of them:
   * that is the cost of django-event-system's design, kept here for the few patterns that need a
   * RegExp and spelled out in the lesson.
   */
  #regexEntries: Entry[] = [];
  #seq = 0;
  #size = 0;
  /** Async handler rounds that have not settled yet, for `settled()`. */
  readonly #inFlight = new Set<Promise<void>>();
  readonly #onError: (error: AggregateError, message: Message) => void;
  readonly #createId: () => string;
  readonly #now: () => number;
  // #endregion state

  /**
   * @param options See {@link BrokerOptions}.
   * @throws TypeError if an option has the wrong type; RangeError if `maxDepth` is not a positive
   *   integer or `Infinity`.
   */
  constructor(options: BrokerOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`\`options\` must be an object, got ${describe(options)}`);
    }
    const { onError = defaultOnError, maxDepth = DEFAULT_MAX_DEPTH } = options;
    const { createId = nextId, now = Date.now } = options;
    for (const [name, fn] of Object.entries({ onError, createId, now })) {
      if (typeof fn !== "function") {
        throw new TypeError(`\`options.${name}\` must be a function, got ${describe(fn)}`);
      }
    }
    if (typeof maxDepth !== "number") {
      throw new TypeError(`\`options.maxDepth\` must be a number, got ${describe(maxDepth)}`);
    }
    if (!(Number.isInteger(maxDepth) || maxDepth === Number.POSITIVE_INFINITY) || maxDepth < 1) {
      throw new RangeError(
        `\`options.maxDepth\` must be a positive integer or Infinity, got ${describe(maxDepth)}`,
      );
    }
    this.maxDepth = maxDepth;
    this.#onError = onError;
    this.#createId = createId;
    this.#now = now;
  }

  /**
   * How many subscriptions are active.
   *
   * @example
   * ```ts
   * new Broker().size; // 0
   * ```
   */
  get size(): number {
    return this.#size;
  }

  // #region subscribe
  /**
   * Calls `handler` with every message published on a topic that `pattern` matches, until the
   * returned {@link Subscription} is called or disposed.
   *
   * @param pattern A topic, an MQTT wildcard pattern (`+` one level, `#` the rest, last only),
   *   or a RegExp, which is anchored: it must match the whole topic.
   * @throws InvalidTopicError if `pattern` is malformed; TypeError if an argument has the wrong
   *   type; RangeError if `priority` is not finite.
   *
   * @example
   * ```ts
   * const stop = broker.subscribe("chat.+.message", (m) => render(m.payload), { priority: 1 });
   * stop(); // true
   * ```
   */
  subscribe<P extends string>(
    pattern: KnownPattern<T, P>,
    handler: Handler<MessageFor<T, P>>,
    options?: SubscribeOptions,
  ): Subscription;
  subscribe(
    pattern: RegExp,
    handler: Handler<MessageOf<T>>,
    options?: SubscribeOptions,
  ): Subscription;
  subscribe(
    pattern: string | RegExp,
    handler: Handler<never>,
    options: SubscribeOptions = {},
  ): Subscription {
    return this.#subscribe(pattern, handler, options);
  }

  #subscribe(
    pattern: string | RegExp,
    handler: Handler<never>,
    options: SubscribeOptions,
  ): Subscription {
    const regex = pattern instanceof RegExp ? anchored(pattern) : undefined;
    if (regex === undefined && typeof pattern !== "string") parsePattern(pattern as never); // TypeError
    if (typeof handler !== "function") {
      throw new TypeError(`\`handler\` must be a function, got ${describe(handler)}`);
    }
    const { priority, once, signal } = checkOptions(options);
    if (signal?.aborted) {
      const never = plainSubscription(pattern, () => false);
      never.active = false;
      return never;
    }

    const entry = new Entry(this.#seq, pattern, handler, priority, once, regex);
    // add() validates the pattern before it changes anything: a bad one subscribes nothing.
    if (regex === undefined) this.#trie.add(pattern as string, entry);
    else this.#regexEntries.push(entry);
    this.#seq++;
    this.#size++;
    if (signal !== undefined) {
      const onAbort = () => this.#remove(entry);
      signal.addEventListener("abort", onAbort, { once: true });
      entry.unlisten = () => signal.removeEventListener("abort", onAbort);
    }
    const subscription = plainSubscription(pattern, () => this.#remove(entry));
    entry.subscription = subscription;
    return subscription;
  }
  // #endregion subscribe

  /**
   * Subscribes every method of `instance` decorated with `@subscribe(…)`, bound to it.
   *
   * @returns One subscription that unsubscribes them all.
   * @throws TypeError if `instance` has no `@subscribe` method (a class compiled with
   *   `experimentalDecorators`, which this decorator does not support, has none).
   *
   * @example
   * ```ts
   * class Mailer {
   *   @subscribe("model.user.created") welcome(m: Message) { … }
   * }
   * using _ = broker.register(new Mailer());
   * ```
   */
  register(instance: object): Subscription {
    const handlers =
      typeof instance === "object" && instance !== null ? decoratedHandlers(instance) : [];
    if (handlers.length === 0) {
      throw new TypeError(`\`instance\` has no @subscribe methods, got ${describe(instance)}`);
    }
    const subscriptions = handlers.map(({ pattern, options, method }) => {
      const bound = (message: never) => method.call(instance, message);
      Object.defineProperty(bound, "name", { value: method.name });
      return this.#subscribe(pattern, bound, options);
    });
    return makeSubscription(
      handlers.map((h) => String(h.pattern)).join(", "),
      () => subscriptions.some((s) => s.active),
      () => subscriptions.map((s) => s()).includes(true),
    );
  }

  // #region publish
  /**
   * Publishes `payload` on `topic`: every matching handler receives the same frozen message,
   * higher priority first, then in subscription order.
   *
   * @returns How many handlers received it.
   * @throws AggregateError of {@link HandlerError}s, after every handler has run, if some threw.
   * @throws InvalidTopicError if `topic` is malformed or holds a wildcard.
   * @throws RecursionLimitError if the message would be deeper than `maxDepth` in its chain.
   *
   * @example
   * ```ts
   * broker.publish("model.user.created", { id: "u1" }); // 2: two handlers received it
   * ```
   */
  publish<K extends TopicOf<T>>(topic: K, payload: T[K], options?: PublishOptions): number {
    let entries = this.#trie.match(topic); // validates the topic; a snapshot this round iterates
    if (this.#regexEntries.length > 0) {
      const matched = this.#regexEntries.filter((e) => (e.regex as RegExp).test(topic));
      if (matched.length > 0) entries = [...entries, ...matched].sort(byPriority);
    }
    const correlationId = options === undefined ? undefined : checkCorrelationId(options);
    if (entries.length === 0) return 0;

    const context = traceContext();
    const parent = context?.message;
    const depth = parent === undefined ? 0 : parent.depth + 1;
    if (depth > this.maxDepth) throw new RecursionLimitError(this.maxDepth, topic);
    const id = this.#createId();
    const message: Message<K, T[K]> = Object.freeze({
      topic,
      payload,
      id,
      correlationId: correlationId ?? context?.correlationId ?? id,
      causationId: parent?.id,
      depth,
      timestamp: this.#now(),
    });
    // Every handler runs inside the message's trace context, and so does whatever it awaits.
    return runHandling(message, () => this.#deliver(entries, message));
  }
  // #endregion publish

  /**
   * Resolves once every async handler started so far (and any they started) has settled, and its
   * failures have gone to `onError`. Use it in tests, or before shutting down.
   *
   * @example
   * ```ts
   * broker.publish("order.paid", order);
   * await broker.settled(); // the async handlers of order.paid are done
   * ```
   */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /**
   * Unsubscribes everything. A round under way calls no handler after this.
   *
   * @example
   * ```ts
   * broker.clear();
   * broker.size; // 0
   * ```
   */
  clear(): void {
    const entries = [...this.#trie.values(), ...this.#regexEntries];
    this.#trie.clear();
    this.#regexEntries = [];
    this.#size = 0;
    for (const entry of entries) retire(entry);
  }

  // #region deliver
  #deliver(entries: readonly Entry[], message: Message): number {
    let delivered = 0;
    let failures: HandlerError[] | undefined; // allocated on the first failure only
    let pending: Array<[Entry, PromiseLike<unknown>]> | undefined;
    try {
      for (const entry of entries) {
        if (!entry.active) continue; // unsubscribed earlier in this round
        if (entry.once) this.#remove(entry); // before the call: a nested publish must not reach it
        delivered++;
        const handler = entry.handler as Handler<Message>; // called bare: `this` is undefined
        try {
          const result = handler(message);
          if (isPromiseLike(result)) {
            pending ??= [];
            pending.push([entry, result]);
          }
        } catch (error) {
          if (isRecursionLimit(error)) throw error;
          failures ??= [];
          failures.push(failure(entry, message, error));
        }
      }
    } finally {
      if (pending !== undefined) this.#watch(pending, message);
    }
    if (failures !== undefined) {
      throw new AggregateError(
        failures,
        `${failures.length} of ${delivered} handlers failed on "${message.topic}"`,
      );
    }
    return delivered;
  }

  /**
   * Waits for a round's async handlers and reports their rejections, together, on `onError`.
   * Nothing in the callback can reject `round` (failures are described without reading what
   * was thrown, and a throwing `onError` is caught), so no rejection goes unhandled.
   */
  #watch(pending: Array<[Entry, PromiseLike<unknown>]>, message: Message): void {
    const round: Promise<void> = Promise.allSettled(pending.map(([, p]) => p)).then((results) => {
      this.#inFlight.delete(round);
      const failures = results.flatMap((result, i) =>
        result.status === "rejected"
          ? [failure((pending[i] as [Entry, unknown])[0], message, result.reason)]
          : [],
      );
      if (failures.length === 0) return;
      const error = new AggregateError(
        failures,
        `${failures.length} of ${pending.length} async handlers failed on "${message.topic}"`,
      );
      try {
        this.#onError(error, message);
      } catch (thrown) {
        onErrorThrew(thrown, error);
      }
    });
    this.#inFlight.add(round);
  }
  // #endregion deliver

  #remove(entry: Entry): boolean {
    if (!entry.active) return false;
    retire(entry);
    if (entry.regex === undefined) {
      this.#trie.delete(entry.pattern as string, entry);
    } else {
      const i = this.#regexEntries.indexOf(entry);
      // A new array, not splice(): a round may be filtering the old one right now.
      if (i !== -1) this.#regexEntries = this.#regexEntries.toSpliced(i, 1);
    }
    this.#size--;
    return true;
  }
}

function retire(entry: Entry): void {
  entry.active = false;
  if (entry.subscription !== undefined) entry.subscription.active = false;
  entry.unlisten?.();
  entry.unlisten = undefined;
}

const failure = (entry: Entry, message: Message, cause: unknown): HandlerError =>
  new HandlerError(entry.handler, entry.pattern, message.topic, message.id, cause);

function checkOptions(options: SubscribeOptions): Required<Omit<SubscribeOptions, "signal">> & {
  signal: AbortSignal | undefined;
} {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`\`options\` must be an object, got ${describe(options)}`);
  }
  const { priority = 0, once = false, signal } = options;
  if (typeof priority !== "number") {
    throw new TypeError(`\`options.priority\` must be a number, got ${describe(priority)}`);
  }
  if (!Number.isFinite(priority)) {
    throw new RangeError(`\`options.priority\` must be finite, got ${describe(priority)}`);
  }
  if (typeof once !== "boolean") {
    throw new TypeError(`\`options.once\` must be a boolean, got ${describe(once)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`\`options.signal\` must be an AbortSignal, got ${describe(signal)}`);
  }
  return { priority, once, signal };
}

function checkCorrelationId(options: PublishOptions): string | undefined {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`\`options\` must be an object, got ${describe(options)}`);
  }
  const { correlationId } = options;
  if (correlationId !== undefined && (typeof correlationId !== "string" || correlationId === "")) {
    throw new TypeError(
      `\`options.correlationId\` must be a non-empty string, got ${describe(correlationId)}`,
    );
  }
  return correlationId;
}
