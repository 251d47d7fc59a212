import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Broker } from "./broker";
import { currentMessage, withCorrelation } from "./tracing";
import type { Message } from "./types";

let broker: Broker;
let seen: Message[];

beforeEach(() => {
  vi.useFakeTimers();
  broker = new Broker();
  seen = [];
});

afterEach(() => {
  vi.useRealTimers();
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const record = (m: Message) => {
  seen.push(m);
};

describe("a chain of messages", () => {
  it("shares the first message's id as correlation id; each names its parent", async () => {
    broker.subscribe("order.placed", async () => {
      await wait(10);
      broker.publish("payment.captured", null);
    });
    broker.subscribe("payment.captured", () => broker.publish("order.shipped", null));
    broker.subscribe("#", record, { priority: 1 });

    broker.publish("order.placed", null);
    await vi.advanceTimersByTimeAsync(10);

    const [placed, captured, shipped] = seen;
    expect(seen.map((m) => [m.topic, m.depth])).toEqual([
      ["order.placed", 0],
      ["payment.captured", 1],
      ["order.shipped", 2],
    ]);
    expect(new Set(seen.map((m) => m.correlationId))).toEqual(new Set([placed?.id]));
    expect([placed?.causationId, captured?.causationId, shipped?.causationId]).toEqual([
      undefined,
      placed?.id,
      captured?.id,
    ]);
  });

  it("continues across brokers", () => {
    const other = new Broker();
    broker.subscribe("a", record);
    broker.subscribe("a", () => other.publish("b", null));
    other.subscribe("b", record);

    broker.publish("a", null);

    expect(seen[1]?.correlationId).toBe(seen[0]?.id);
    expect(seen[1]?.causationId).toBe(seen[0]?.id);
  });

  it("does not leak: interleaved chains keep their own ids, and later publishes start anew", async () => {
    broker.subscribe("order.placed", async (m) => {
      await wait(m.payload as number);
      broker.publish("order.shipped", m.payload);
    });
    broker.subscribe("#", record, { priority: 1 });

    broker.publish("order.placed", 100);
    broker.publish("order.placed", 50);
    await vi.advanceTimersByTimeAsync(100);
    broker.publish("audit", null);

    const [slow, fast, fastShipped, slowShipped, audit] = seen;
    expect(fastShipped?.correlationId).toBe(fast?.id);
    expect(slowShipped?.correlationId).toBe(slow?.id);
    expect(audit?.correlationId).toBe(audit?.id);
    expect(audit?.depth).toBe(0);
  });
});

describe("currentMessage()", () => {
  it("is the message being handled, after awaits too, and undefined outside", async () => {
    const during: Array<Message | undefined> = [];
    broker.subscribe("t", async (m) => {
      during.push(currentMessage());
      await wait(5);
      during.push(currentMessage());
      expect(currentMessage()).toBe(m);
    });

    broker.publish("t", null);
    await vi.advanceTimersByTimeAsync(5);

    expect(during[0]).toBeDefined();
    expect(during[1]).toBe(during[0]);
    expect(currentMessage()).toBeUndefined();
  });
});

describe("an explicit correlation id", () => {
  it("starts a chain with an outside id (a request's) through withCorrelation()", () => {
    broker.subscribe("http.request", () => broker.publish("user.created", null));
    broker.subscribe("#", record, { priority: 1 });

    withCorrelation("req-42", () => broker.publish("http.request", null));

    expect(seen.map((m) => m.correlationId)).toEqual(["req-42", "req-42"]);
    expect(seen[0]?.causationId).toBeUndefined();
    expect(seen[0]?.depth).toBe(0);
    expect(currentMessage()).toBeUndefined();
  });

  it("can be given to one publish, and wins over the inherited one", () => {
    broker.subscribe("a", () => broker.publish("b", null, { correlationId: "job-7" }));
    broker.subscribe("#", record, { priority: 1 });

    broker.publish("a", null, { correlationId: "req-1" });

    expect(seen.map((m) => m.correlationId)).toEqual(["req-1", "job-7"]);
    expect(seen[1]?.causationId).toBe(seen[0]?.id);
  });

  it("must be a non-empty string", () => {
    expect(() => withCorrelation("", () => 1)).toThrow(
      new TypeError("`correlationId` must be a non-empty string"),
    );
    expect(() => withCorrelation(42 as never, () => 1)).toThrow(
      new TypeError("`correlationId` must be a non-empty string"),
    );
  });
});
