import fc from "fast-check";
import { Registry } from "prom-client";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Broker, BrokerMetrics, BUCKETS, HandlerError } from "./broker-metrics";

/** A clock the test moves by hand, in seconds. */
let clock: number;
let metrics: BrokerMetrics;
let broker: Broker;
let reported: unknown[];

beforeEach(() => {
  clock = 100;
  reported = [];
  metrics = new BrokerMetrics({ now: () => clock });
  broker = metrics.instrument(new Broker({ onError: (error) => reported.push(error) }));
});

/** The value of one sample (`name` as Prometheus shows it: `_bucket`, `_sum`, `_count` too). */
async function sample(name: string, labels: Record<string, string | number> = {}) {
  const found = (await metrics.registry.getMetricsAsJSON()).flatMap((metric) =>
    metric.values.filter(
      (v) =>
        ((v as { metricName?: string }).metricName ?? metric.name) === name &&
        Object.entries(labels).every(([key, value]) => v.labels[key] === value),
    ),
  );
  return found.length === 1 ? found[0]?.value : found.length === 0 ? undefined : NaN;
}
/** Every label set of `name`'s samples, as Prometheus would list them. */
async function labelSets(name: string) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).map((v) => v.labels);
}
/** A promise and its resolve/reject, to settle an async handler when the test decides. */
function deferred() {
  let resolve: () => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
/** What `act` threw, or undefined. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("the metrics, in their registry", () => {
  it("registers the four metrics with their names, types, labels and buckets", async () => {
    const all = await metrics.registry.getMetricsAsJSON();

    expect(all.map((m) => [m.name, m.type]).sort()).toEqual([
      ["pubsub_handler_duration_seconds", "histogram"],
      ["pubsub_handler_failures_total", "counter"],
      ["pubsub_messages_delivered_total", "counter"],
      ["pubsub_messages_published_total", "counter"],
    ]);
    expect(all.every((m) => m.help.length > 0)).toBe(true);
    broker.subscribe("a", () => {});
    broker.publish("a", 1);
    expect(await labelSets("pubsub_handler_duration_seconds")).toEqual([
      ...[...BUCKETS, "+Inf"].map((le) => ({ le, pattern: "a" })),
      { pattern: "a" },
      { pattern: "a" },
    ]);
  });

  it("uses the registry it is given, and a new one of its own otherwise", async () => {
    const registry = new Registry();
    const given = new BrokerMetrics({ registry });
    const other = new BrokerMetrics();

    expect(given.registry).toBe(registry);
    expect(other.registry).toBeInstanceOf(Registry);
    expect(other.registry).not.toBe(registry);
    expect(other.registry).not.toBe(metrics.registry);
    given.instrument(new Broker()).publish("a", 1);
    expect(
      (await registry.getSingleMetric("pubsub_messages_published_total")?.get())?.values,
    ).toEqual([{ value: 1, labels: {} }]);
    expect(await sample("pubsub_messages_published_total")).toBe(0);
  });

  it("refuses a registry that is not a prom-client Registry, and a clock that is not a function", () => {
    const values: unknown[] = [null, 0, "registry", {}, [], new Map(), () => {}];
    fc.assert(
      fc.property(fc.constantFrom<unknown>(...values), (bad) => {
        const registryError = thrownBy(() => new BrokerMetrics({ registry: bad as Registry }));
        expect(registryError).toBeInstanceOf(TypeError);
        expect((registryError as TypeError).message).toContain("`registry`");

        const nowError = thrownBy(() => new BrokerMetrics({ now: bad as () => number }));
        if (typeof bad === "function") expect(nowError).toBeUndefined();
        else {
          expect(nowError).toBeInstanceOf(TypeError);
          expect((nowError as TypeError).message).toContain("`now`");
        }
      }),
      { examples: values.map((value) => [value] as [unknown]) },
    );
  });
});

describe("counting", () => {
  it("counts every publish, whether or not a handler matched", async () => {
    broker.subscribe("chat.lobby", () => {});

    broker.publish("chat.lobby", 1);
    broker.publish("nobody.listens", 2);
    broker.publish("nobody.listens", 3);

    expect(await sample("pubsub_messages_published_total")).toBe(3);
  });

  it("counts deliveries per subscription pattern, never per topic", async () => {
    broker.subscribe("chat.+", () => {});
    broker.subscribe("chat.lobby", () => {});
    broker.subscribe(/^sport\.\w+$/, () => {});

    broker.publish("chat.lobby", 1);
    broker.publish("chat.kitchen", 2);
    broker.publish("sport.tennis", 3);
    broker.publish("sport.golf", 4);

    expect(await sample("pubsub_messages_delivered_total", { pattern: "chat.+" })).toBe(2);
    expect(await sample("pubsub_messages_delivered_total", { pattern: "chat.lobby" })).toBe(1);
    expect(await sample("pubsub_messages_delivered_total", { pattern: "/^sport\\.\\w+$/" })).toBe(
      2,
    );
    expect(await labelSets("pubsub_messages_delivered_total")).toHaveLength(3);
  });

  it("counts for any patterns and topics exactly what the handlers received", async () => {
    const level = fc.constantFrom("a", "b", "+");
    const pattern = fc
      .array(level, { minLength: 1, maxLength: 2 })
      .map((levels) => levels.join("."));
    const topic = fc
      .array(fc.constantFrom("a", "b"), { minLength: 1, maxLength: 2 })
      .map((levels) => levels.join("."));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(pattern, { maxLength: 3 }),
        fc.array(topic, { maxLength: 5 }),
        async (patterns, topics) => {
          metrics = new BrokerMetrics({ now: () => clock });
          const subject = metrics.instrument(new Broker());
          const calls = new Map<string, number>();
          for (const p of patterns) {
            subject.subscribe(p, () => calls.set(p, (calls.get(p) ?? 0) + 1));
          }
          for (const t of topics) subject.publish(t, null);

          expect(await sample("pubsub_messages_published_total")).toBe(topics.length);
          for (const p of patterns) {
            const count = await sample("pubsub_messages_delivered_total", { pattern: p });
            expect(count ?? 0, p).toBe(calls.get(p) ?? 0);
            expect(
              (await sample("pubsub_handler_duration_seconds_count", { pattern: p })) ?? 0,
            ).toBe(calls.get(p) ?? 0);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("failures", () => {
  it("counts a handler that throws, and passes the very error on to the broker", async () => {
    const boom = new Error("boom");
    broker.subscribe("job", () => {
      throw boom;
    });
    broker.subscribe("job", () => {});

    const error = thrownBy(() => broker.publish("job", 1));

    expect(error).toBeInstanceOf(AggregateError);
    const [failure] = (error as AggregateError).errors as HandlerError[];
    expect(failure).toBeInstanceOf(HandlerError);
    expect(failure?.cause).toBe(boom);
    expect(await sample("pubsub_handler_failures_total", { pattern: "job" })).toBe(1);
    expect(await sample("pubsub_messages_delivered_total", { pattern: "job" })).toBe(2);
  });

  it("counts a handler whose promise rejects, once it rejects, and the broker still reports it", async () => {
    const job = deferred();
    const boom = new Error("later");
    broker.subscribe("job", () => job.promise);

    broker.publish("job", 1);
    expect(await sample("pubsub_handler_failures_total", { pattern: "job" })).toBeUndefined();
    job.reject(boom);
    await broker.settled();

    expect(await sample("pubsub_handler_failures_total", { pattern: "job" })).toBe(1);
    expect(reported).toHaveLength(1);
    expect(((reported[0] as AggregateError).errors[0] as HandlerError).cause).toBe(boom);
  });

  it("counts nothing as a failure for a handler that returns or resolves, and counts a second failure", async () => {
    broker.subscribe("ok", () => 42);
    broker.subscribe("ok", async () => "done");
    let fail = false;
    broker.subscribe("flaky", () => {
      if (fail) throw new Error("second time");
    });

    broker.publish("ok", 1);
    broker.publish("flaky", 1);
    fail = true;
    thrownBy(() => broker.publish("flaky", 2));
    thrownBy(() => broker.publish("flaky", 3));
    await broker.settled();

    expect(await sample("pubsub_handler_failures_total", { pattern: "ok" })).toBeUndefined();
    expect(await sample("pubsub_handler_failures_total", { pattern: "flaky" })).toBe(2);
    expect(await sample("pubsub_messages_delivered_total", { pattern: "flaky" })).toBe(3);
  });
});

describe("timing", () => {
  it("times a handler from its call until it returns", async () => {
    broker.subscribe("job", () => {
      clock += 0.003;
    });

    broker.publish("job", 1);

    expect(await sample("pubsub_handler_duration_seconds_count", { pattern: "job" })).toBe(1);
    expect(await sample("pubsub_handler_duration_seconds_sum", { pattern: "job" })).toBeCloseTo(
      0.003,
      9,
    );
    expect(
      await sample("pubsub_handler_duration_seconds_bucket", { pattern: "job", le: 0.001 }),
    ).toBe(0);
    expect(
      await sample("pubsub_handler_duration_seconds_bucket", { pattern: "job", le: 0.005 }),
    ).toBe(1);
  });

  it("times an async handler until its promise settles, resolved or rejected", async () => {
    const ok = deferred();
    const bad = deferred();
    broker.subscribe("ok", () => ok.promise);
    broker.subscribe("bad", () => bad.promise);

    broker.publish("ok", 1);
    broker.publish("bad", 1);
    expect(
      await sample("pubsub_handler_duration_seconds_count", { pattern: "ok" }),
    ).toBeUndefined();
    clock += 0.2;
    ok.resolve();
    await new Promise((resolve) => setImmediate(resolve)); // every pending reaction has run
    clock += 2;
    bad.reject(new Error("slow failure"));
    await broker.settled();

    expect(await sample("pubsub_handler_duration_seconds_sum", { pattern: "ok" })).toBeCloseTo(
      0.2,
      9,
    );
    expect(await sample("pubsub_handler_duration_seconds_sum", { pattern: "bad" })).toBeCloseTo(
      2.2,
      9,
    );
    expect(await sample("pubsub_handler_duration_seconds_bucket", { pattern: "bad", le: 1 })).toBe(
      0,
    );
    expect(await sample("pubsub_handler_duration_seconds_bucket", { pattern: "bad", le: 5 })).toBe(
      1,
    );
  });

  it("reads performance.now(), in seconds, when no clock is given", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      const own = new BrokerMetrics();
      const subject = own.instrument(new Broker());
      subject.subscribe("job", () => {
        vi.advanceTimersByTime(250);
      });

      subject.publish("job", 1);

      metrics = own;
      expect(await sample("pubsub_handler_duration_seconds_sum", { pattern: "job" })).toBeCloseTo(
        0.25,
        6,
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("times a handler that throws, too", async () => {
    broker.subscribe("job", () => {
      clock += 0.04;
      throw new Error("boom");
    });

    thrownBy(() => broker.publish("job", 1));

    expect(await sample("pubsub_handler_duration_seconds_count", { pattern: "job" })).toBe(1);
    expect(await sample("pubsub_handler_duration_seconds_sum", { pattern: "job" })).toBeCloseTo(
      0.04,
      9,
    );
  });
});

describe("an instrumented broker is still the broker", () => {
  it("hands handlers the message and gives publish() the broker's count", () => {
    const got: unknown[] = [];
    broker.subscribe("chat.+", (message) => got.push(message.payload));
    broker.subscribe("chat.lobby", (message) => got.push(message.topic));

    expect(broker.publish("chat.lobby", "hi")).toBe(2);
    expect(got).toEqual(["hi", "chat.lobby"]);
  });

  it("keeps the broker's other methods and properties, and its subscriptions' unsubscribe", () => {
    const stop = broker.subscribe("a", () => {});
    broker.subscribe("b", () => {}, { once: true });
    expect(broker.size).toBe(2);

    expect(stop()).toBe(true);
    broker.publish("b", 1);
    expect(broker.size).toBe(0);
    broker.subscribe("c", () => {});
    broker.clear();
    expect(broker.size).toBe(0);
    expect(broker.maxDepth).toBe(new Broker().maxDepth);
  });
});
