/**
 * The chat server's Prometheus metrics (prom-client), served on `/metrics`: members connected,
 * lines relayed (said here, or arriving from another server), frames refused by reason, lines
 * that could not cross to the other servers, whether Redis is reachable, and the
 * {@link BrokerMetrics} of the server's in-process broker, which every line passes through.
 * Every label has a bounded set of values (a reason is an {@link ErrorCode}), never a room or a
 * name: each label value is a new series.
 *
 * @module
 */
import { Counter, Gauge, Registry } from "prom-client";
import { BrokerMetrics } from "../metrics";
import type { ErrorCode } from "./protocol";

/**
 * The metrics of one chat server, in their own registry.
 *
 * @example
 * ```ts
 * const metrics = new ChatMetrics();
 * const rooms = new ChatRooms({ broker: metrics.broker.instrument(new Broker<ChatTopics>()) });
 * metrics.members.inc();
 * response.end(await metrics.registry.metrics());
 * ```
 */
export class ChatMetrics {
  readonly registry: Registry;
  /** The in-process broker's deliveries, failures and handling time, in the same registry. */
  readonly broker: BrokerMetrics;
  /** `chat_members_connected`: open WebSocket connections on this server. */
  readonly members: Gauge;
  /** `chat_messages_relayed_total{source}`: lines handed to this server's rooms. */
  readonly relayed: Counter<"source">;
  /** `chat_frames_rejected_total{reason}`: frames answered with an error frame. */
  readonly rejected: Counter<"reason">;
  /** `chat_relay_publish_failures_total`: lines and events that did not reach Redis. */
  readonly relayFailures: Counter;
  /** `chat_redis_connected`: 1 while the Redis subscriber connection is up, else 0. */
  readonly redisConnected: Gauge;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.broker = new BrokerMetrics(registry);
    this.members = new Gauge({
      name: "chat_members_connected",
      help: "Members (WebSocket connections) connected to this server.",
      registers,
    });
    this.relayed = new Counter({
      name: "chat_messages_relayed_total",
      help: "Chat lines handed to this server's rooms: source=local for lines its members sent, remote for lines from another server.",
      labelNames: ["source"],
      registers,
    });
    this.rejected = new Counter({
      name: "chat_frames_rejected_total",
      help: "Client frames answered with an error frame, by the error's code.",
      labelNames: ["reason"],
      registers,
    });
    this.relayFailures = new Counter({
      name: "chat_relay_publish_failures_total",
      help: "Lines, presence events and rosters that could not be published on Redis (they did not cross).",
      registers,
    });
    this.redisConnected = new Gauge({
      name: "chat_redis_connected",
      help: "1 while this server's Redis subscriber connection is up; 0 while it is lost, and on a server without Redis.",
      registers,
    });
    // Both sources exist from the start, so that rate() has a series to read before the first line.
    this.relayed.inc({ source: "local" }, 0);
    this.relayed.inc({ source: "remote" }, 0);
  }

  /** Counts a refused frame under its error code. */
  reject(reason: ErrorCode): void {
    this.rejected.inc({ reason });
  }
}
