/**
 * Observer events as Prometheus metrics: a broker seen through a `BrokerMetrics` counts every
 * publish, and for each subscription pattern its deliveries, its handler failures and how long
 * its handlers take. Serve `metrics.registry.metrics()` on `/metrics` and Prometheus scrapes it.
 */
import { Counter, Histogram, Registry } from "prom-client";
import { Broker, HandlerError } from "../../../patterns/pubsub/index";

// Given: the reference broker (the step instruments it), and the metrics' buckets.
export { Broker, HandlerError };

/** The histogram's upper bounds, in seconds: from half a millisecond to five seconds. */
export const BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** Where the metrics go, and the clock that times handlers (seconds; `performance.now()` by default). */
export interface MetricsOptions {
  readonly registry?: Registry;
  readonly now?: () => number;
}

type Handler = (message: unknown) => unknown;

export class BrokerMetrics {
  readonly registry: Registry;
  /** `pubsub_messages_published_total`: every publish() call. */
  readonly published: Counter;
  /** `pubsub_messages_delivered_total{pattern}`: each handler call. */
  readonly delivered: Counter<"pattern">;
  /** `pubsub_handler_failures_total{pattern}`: each handler that threw or whose promise rejected. */
  readonly failures: Counter<"pattern">;
  /** `pubsub_handler_duration_seconds{pattern}`: from the call until it returned or its promise settled. */
  readonly duration: Histogram<"pattern">;
  readonly #now: () => number;

  constructor({
    registry = new Registry(),
    now = () => performance.now() / 1000,
  }: MetricsOptions = {}) {
    if (!(registry instanceof Registry)) {
      throw new TypeError("`registry` must be a prom-client Registry");
    }
    if (typeof now !== "function") throw new TypeError("`now` must be a function");
    this.registry = registry;
    this.#now = now;
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
      buckets: BUCKETS,
      registers,
    });
  }

  /**
   * `broker` seen through these metrics: the same broker, whose subscribe() wraps each handler to
   * count and time it, and whose publish() counts. Everything else passes straight through.
   */
  instrument<B extends Broker>(broker: B): B {
    const metrics = this;
    return new Proxy(broker, {
      get(target, property) {
        if (property === "subscribe") {
          return (pattern: string | RegExp, handler: Handler, options?: object) =>
            target.subscribe(
              pattern as string,
              metrics.#observe(String(pattern), handler),
              options,
            );
        }
        if (property === "publish") {
          return (...args: Parameters<Broker["publish"]>) => {
            metrics.published.inc();
            return target.publish(...args);
          };
        }
        // Methods and getters read the broker's #private fields: run them on the broker itself.
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  /** `handler`, counted and timed under `pattern` (a label per pattern, never per topic). */
  #observe(pattern: string, handler: Handler): Handler {
    return (message) => {
      this.delivered.inc({ pattern });
      const start = this.#now();
      const stop = () => this.duration.observe({ pattern }, this.#now() - start);
      let result: unknown;
      try {
        result = handler(message);
      } catch (error) {
        stop();
        this.failures.inc({ pattern });
        throw error; // the broker reports it as it would without metrics
      }
      if (result instanceof Promise) {
        result.then(stop, () => {
          stop();
          this.failures.inc({ pattern });
        });
      } else stop();
      return result;
    };
  }
}
