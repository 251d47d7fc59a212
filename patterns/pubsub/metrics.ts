/**
 * Observer events as Prometheus metrics (prom-client): a broker instrumented so that every
 * subscription's deliveries, failures and handling time are counted per **subscription pattern**
 * (a bounded set, unlike topics, which a label must never be: each label value is a new series).
 * Serve `registry.metrics()` on `/metrics` and let Prometheus scrape it.
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Broker } from "./broker";
import { describe } from "./topics";
import type { TopicMap } from "./types";

/**
 * The metrics of one or more brokers, registered in `registry`.
 *
 * @example
 * ```ts
 * const metrics = new BrokerMetrics();
 * const broker = metrics.instrument(new Broker<Topics>());
 * http.createServer(async (req, res) => {
 *   if (req.url === "/metrics") res.end(await metrics.registry.metrics());
 * });
 * ```
 */
export class BrokerMetrics {
  /** Where the metrics live; pass your own to serve them beside others. */
  readonly registry: Registry;
  readonly published: Counter;
  readonly delivered: Counter<"pattern">;
  readonly failures: Counter<"pattern">;
  readonly duration: Histogram<"pattern">;
  readonly subscriptions: Gauge;
  readonly #brokers = new Set<{ readonly size: number }>();

  /** @throws TypeError if `registry` is not a prom-client Registry. */
  constructor(registry: Registry = new Registry()) {
    if (!(registry instanceof Registry)) {
      throw new TypeError(`\`registry\` must be a prom-client Registry, got ${describe(registry)}`);
    }
    this.registry = registry;
    const registers = [registry];
    this.published = new Counter({
      name: "pubsub_messages_published_total",
      help: "Messages published, whether or not a handler matched.",
      registers,
    });
    this.delivered = new Counter({
      name: "pubsub_messages_delivered_total",
      help: "Messages handed to a handler, by the handler's subscription pattern.",
      labelNames: ["pattern"],
      registers,
    });
    this.failures = new Counter({
      name: "pubsub_handler_failures_total",
      help: "Handlers that threw or whose promise rejected, by subscription pattern.",
      labelNames: ["pattern"],
      registers,
    });
    this.duration = new Histogram({
      name: "pubsub_handler_duration_seconds",
      help: "Time from a handler's call until it returned or its promise settled.",
      labelNames: ["pattern"],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    const brokers = this.#brokers;
    this.subscriptions = new Gauge({
      name: "pubsub_subscriptions",
      help: "Active subscriptions of the instrumented brokers.",
      registers,
      // Read at scrape time: once-subscriptions, signals and clear() end subscriptions too.
      collect() {
        let size = 0;
        for (const broker of brokers) size += broker.size;
        this.set(size);
      },
    });
  }

  /**
   * Returns `broker` seen through these metrics: the same broker (same subscriptions, same
   * errors), whose `subscribe()` wraps each handler to count and time it, and whose `publish()`
   * counts. Everything else passes straight through.
   */
  instrument<T extends TopicMap>(broker: Broker<T>): Broker<T> {
    const metrics = this;
    this.#brokers.add(broker);
    return new Proxy(broker, {
      get(target, property) {
        if (property === "subscribe") {
          return (pattern: string | RegExp, handler: (m: unknown) => unknown, options?: object) => {
            return target.subscribe(
              pattern as never,
              metrics.#observe(String(pattern), handler) as never,
              options,
            );
          };
        }
        if (property === "publish") {
          return (...args: Parameters<Broker<T>["publish"]>) => {
            metrics.published.inc();
            return target.publish(...args);
          };
        }
        const value = Reflect.get(target, property, target);
        // Methods read the broker's #private fields, so they must run on the broker itself.
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  /** `handler`, counted and timed under `pattern`; what it throws or rejects passes through. */
  #observe(pattern: string, handler: (m: unknown) => unknown): (m: unknown) => unknown {
    if (typeof handler !== "function") return handler; // the broker names the bad argument
    const { delivered, failures, duration } = this;
    return function observed(this: unknown, message: unknown) {
      delivered.inc({ pattern });
      const stop = duration.startTimer({ pattern });
      let result: unknown;
      try {
        result = handler.call(this, message);
      } catch (error) {
        stop();
        failures.inc({ pattern });
        throw error;
      }
      if (result instanceof Promise) {
        result.then(stop, () => {
          stop();
          failures.inc({ pattern });
        });
      } else stop();
      return result;
    };
  }
}
