/**
 * The broker's metrics: what an instrumented broker counts, that it still behaves as the broker,
 * and that its exposition is valid for Prometheus (`promtool check metrics`, from Debian's
 * prometheus package; a machine without it gets an error naming the package).
 */
import { spawnSync } from "node:child_process";
import type { Registry } from "prom-client";
import { beforeEach, describe, expect, it } from "vitest";
import { requireBinary } from "../../kata/services";
import { Broker } from "./broker";
import { HandlerError } from "./errors";
import { BrokerMetrics } from "./metrics";

let metrics: BrokerMetrics;
let broker: Broker;

beforeEach(() => {
  metrics = new BrokerMetrics();
  broker = metrics.instrument(new Broker({ onError: () => {} }));
});

const value = async (name: string, labels: Record<string, string> = {}) => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return sample?.value;
};

describe("what an instrumented broker counts", () => {
  it("counts every publish, and deliveries per subscription pattern", async () => {
    broker.subscribe("chat.+", () => {});
    broker.subscribe("chat.lobby", () => {});
    broker.publish("chat.lobby", 1);
    broker.publish("chat.kitchen", 2);
    broker.publish("nobody.listens", 3);
    expect(await value("pubsub_messages_published_total")).toBe(3);
    expect(await value("pubsub_messages_delivered_total", { pattern: "chat.+" })).toBe(2);
    expect(await value("pubsub_messages_delivered_total", { pattern: "chat.lobby" })).toBe(1);
  });

  it("counts handlers that throw or reject, and times every handling", async () => {
    broker.subscribe("job", () => {
      throw new Error("sync");
    });
    broker.subscribe("job", async () => Promise.reject(new Error("async")));
    expect(() => broker.publish("job", 1)).toThrow(AggregateError);
    await broker.settled();
    expect(await value("pubsub_handler_failures_total", { pattern: "job" })).toBe(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('pubsub_handler_duration_seconds_count{pattern="job"} 2');
  });

  it("reports active subscriptions at scrape time, after once and unsubscribe too", async () => {
    const stop = broker.subscribe("a", () => {});
    broker.subscribe("b", () => {}, { once: true });
    expect(await value("pubsub_subscriptions")).toBe(2);
    broker.publish("b", 1);
    stop();
    expect(await value("pubsub_subscriptions")).toBe(0);
  });
});

describe("an instrumented broker is still the broker", () => {
  it("passes handler failures through unchanged, with the original handler named", () => {
    const boom = new Error("boom");
    broker.subscribe("x", function named() {
      throw boom;
    });
    try {
      broker.publish("x", 1);
      expect.unreachable();
    } catch (error) {
      const [failure] = (error as AggregateError).errors as HandlerError[];
      expect(failure).toBeInstanceOf(HandlerError);
      expect(failure?.cause).toBe(boom);
    }
  });

  it("keeps the broker's own errors for bad arguments, and its properties", () => {
    expect(() => broker.subscribe("a", 42 as never)).toThrow(TypeError);
    expect(broker.size).toBe(0);
    expect(broker.maxDepth).toBe(32);
  });

  it("refuses a registry that is not prom-client's", () => {
    expect(() => new BrokerMetrics({} as Registry)).toThrow(TypeError);
  });
});

describe("the exposition", () => {
  it("passes promtool check metrics", async () => {
    broker.subscribe("chat.#", () => {});
    broker.publish("chat.lobby", 1);
    const text = await metrics.registry.metrics();
    const check = spawnSync(requireBinary("promtool", "prometheus"), ["check", "metrics"], {
      input: text,
      encoding: "utf8",
    });
    expect(check.stderr + check.stdout).toBe("");
    expect(check.status).toBe(0);
    expect(text).toContain('pubsub_messages_delivered_total{pattern="chat.#"} 1');
  });
});
