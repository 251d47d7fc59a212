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

export class BrokerMetrics {
  // TODO: the registry, and the four metrics (Counter, Histogram from prom-client) registered in it.
  readonly registry: Registry = new Registry();

  constructor(options: MetricsOptions = {}) {
    throw new Error(
      `TODO(pubsub/08): register the metrics (${Object.keys(options)}; ${typeof Counter}, ${typeof Histogram})`,
    );
  }

  /**
   * `broker` seen through these metrics: the same broker, whose subscribe() wraps each handler to
   * count and time it, and whose publish() counts. Everything else passes straight through.
   */
  instrument<B extends Broker>(broker: B): B {
    throw new Error(`TODO(pubsub/08): instrument a broker of ${broker.size} subscriptions`);
  }
}
