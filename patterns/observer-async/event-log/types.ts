/**
 * One interface for a durable event log, two backends: an append-only file (no server; the
 * default) and Redis Streams. Events are appended and get an offset; anyone can replay from an
 * offset; named consumers each keep their own position and acknowledge what they have handled, and
 * whatever a consumer received but did not acknowledge is delivered to it again after a restart
 * (at-least-once delivery: a handler must tolerate seeing an event twice).
 */
import { EventTypeError, LogArgumentError } from "./errors";

/** A value JSON can carry: what an event may be. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Where a record sits in its log. Opaque: compare offsets only by reading the log. The file log
 * uses the record's sequence number (`"0"`, `"1"`, …), Redis its stream id (`"1712345678901-0"`).
 */
export type Offset = string;

/** One stored event and its offset. */
export interface LogRecord<T extends Json = Json> {
  readonly offset: Offset;
  readonly event: T;
}

// #region event-log
/** What both backends implement, and what `eventLogConformance` checks. */
export interface EventLog<T extends Json = Json> {
  /**
   * Appends one event; resolves with its offset once it is as durable as the backend's policy
   * promises (the file log's `fsync` option; Redis's `appendfsync`). Offsets grow in append order.
   */
  append(event: T): Promise<Offset>;
  /** Up to `limit` records in order, starting at `from` (inclusive; the beginning if omitted). */
  read(from?: Offset, limit?: number): Promise<LogRecord<T>[]>;
  /**
   * The next records for `consumer`: first any it received before a restart and never
   * acknowledged, then records it has not received yet. Empty when it has caught up.
   */
  poll(consumer: string, limit?: number): Promise<LogRecord<T>[]>;
  /** Marks one record handled by `consumer`, durably. Acknowledging twice is harmless. */
  ack(consumer: string, offset: Offset): Promise<void>;
  /** Finishes pending writes and releases the file or connection. Safe to call twice. */
  close(): Promise<void>;
}
// #endregion event-log

/**
 * Polls `consumer` until it has caught up, handing each record to `handler` and acknowledging it
 * once the handler resolves. A handler that throws stops the loop with that error, and its record
 * stays unacknowledged, so it comes back after a restart. Resolves with how many were handled.
 */
export async function consume<T extends Json>(
  log: EventLog<T>,
  consumer: string,
  handler: (event: T, offset: Offset) => unknown,
  limit = 100,
): Promise<number> {
  let handled = 0;
  for (;;) {
    const batch = await log.poll(consumer, limit);
    if (batch.length === 0) return handled;
    for (const record of batch) {
      await handler(record.event, record.offset);
      await log.ack(consumer, record.offset);
      handled++;
    }
  }
}

/** The event as JSON text, or an `EventTypeError` if JSON would drop or alter it at the top. */
export function serialise(event: unknown): string {
  if (typeof event === "number" && !Number.isFinite(event)) throw new EventTypeError(event);
  let text: string | undefined;
  try {
    text = JSON.stringify(event);
  } catch (error) {
    throw new EventTypeError(event, error instanceof Error ? error.message : String(error));
  }
  if (text === undefined) throw new EventTypeError(event);
  return text;
}

export function checkConsumer(consumer: unknown): string {
  if (typeof consumer !== "string" || consumer.length === 0)
    throw new LogArgumentError("consumer", "a non-empty string", consumer);
  return consumer;
}

export function checkLimit(limit: unknown): number {
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1)
    throw new LogArgumentError("limit", "a whole number of at least 1", limit);
  return limit;
}
