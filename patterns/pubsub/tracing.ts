/**
 * Tracing: which message is being handled right now, carried through `await`s by Node's
 * `AsyncLocalStorage`, so a message published from a handler joins its parent's chain.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Message } from "./types";

// #region context
/**
 * The message whose handlers are running, or a bare correlation id set by `withCorrelation()`.
 * One store for every broker of the process: a handler of one broker that publishes on another
 * continues the same chain.
 *
 * @example
 * ```ts
 * const context: TraceContext = { correlationId: "req-42", message: undefined };
 * ```
 */
export interface TraceContext {
  readonly correlationId: string;
  /** The message being handled; absent inside a bare `withCorrelation()`. */
  readonly message: Message | undefined;
}

const store = new AsyncLocalStorage<TraceContext>();

/**
 * Runs `fn` as the handling of `message`: every publish inside it, now or after any number of
 * `await`s, inherits its correlation id. The broker calls this; you rarely need to.
 *
 * @internal
 * @example
 * ```ts
 * runHandling(message, () => handler(message));
 * ```
 */
export function runHandling<R>(message: Message, fn: () => R): R {
  return store.run({ correlationId: message.correlationId, message }, fn);
}
// #endregion context

/**
 * The current trace context, if code is running on behalf of a message or `withCorrelation()`.
 *
 * @internal
 * @example
 * ```ts
 * traceContext()?.correlationId;
 * ```
 */
export function traceContext(): TraceContext | undefined {
  return store.getStore();
}

/**
 * The message whose handler is running, even after an `await` inside that handler; `undefined`
 * outside any handler. Handy for logging: every log line of a chain can carry its ids.
 *
 * @example
 * ```ts
 * function log(text: string) {
 *   const m = currentMessage();
 *   console.log(m ? `[${m.correlationId}] ${text}` : text);
 * }
 * ```
 */
export function currentMessage(): Message | undefined {
  return store.getStore()?.message;
}

/**
 * Runs `fn` with a correlation id, so that the messages it publishes (and their descendants)
 * carry it: typically an incoming HTTP request's `x-request-id`, which then ties the request's
 * log lines to every event it caused.
 *
 * @throws TypeError if `correlationId` is not a non-empty string.
 *
 * @example
 * ```ts
 * server.on("request", (req, res) =>
 *   withCorrelation(String(req.headers["x-request-id"] ?? randomUUID()), () => handle(req, res)),
 * );
 * ```
 */
export function withCorrelation<R>(correlationId: string, fn: () => R): R {
  if (typeof correlationId !== "string" || correlationId === "") {
    throw new TypeError("`correlationId` must be a non-empty string");
  }
  return store.run({ correlationId, message: undefined }, fn);
}
