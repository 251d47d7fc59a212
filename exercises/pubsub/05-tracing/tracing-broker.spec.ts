import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Message, TracingBroker } from "./tracing-broker";

let broker: TracingBroker;
/** Every message any test handler received, in order. */
let seen: Message[];

beforeEach(() => {
  vi.useFakeTimers();
  broker = new TracingBroker();
  seen = [];
});

afterEach(() => {
  vi.useRealTimers();
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const record = (message: Message) => {
  seen.push(message);
};
const on = (topic: string) => seen.filter((m) => m.topic === topic);

describe("publish() and subscribe()", () => {
  it("calls every handler of the topic, none of another, and returns how many", () => {
    broker.subscribe("user.created", record);
    broker.subscribe("user.created", (message) => record({ ...message, topic: "second" }));
    broker.subscribe("user.deleted", record);

    expect(broker.publish("user.created", { id: "u1" })).toBe(2);
    expect(broker.publish("nobody.listens", {})).toBe(0);
    expect(seen.map((m) => m.topic).sort()).toEqual(["second", "user.created"]);
  });

  it("stops calling a handler once its subscription is cancelled", () => {
    const unsubscribe = broker.subscribe("user.created", record);
    unsubscribe();

    expect(broker.publish("user.created", { id: "u1" })).toBe(0);
    expect(seen).toEqual([]);
  });

  it("cancels one subscription only: a handler subscribed twice keeps its other one", () => {
    const first = broker.subscribe("user.created", record);
    broker.subscribe("user.created", record);

    first();
    first(); // a second call changes nothing either

    expect(broker.publish("user.created", { id: "u1" })).toBe(1);
    expect(seen).toHaveLength(1);
  });
});

describe("each message", () => {
  it("has an id no other message has", () => {
    broker.subscribe("tick", (message) => {
      record(message);
      if ((message.payload as number) < 20) broker.publish("tick", (message.payload as number) + 1);
    });

    for (let i = 0; i < 20; i += 5) broker.publish("tick", i);

    expect(seen.length).toBeGreaterThan(20);
    expect(new Set(seen.map((m) => m.id)).size).toBe(seen.length);
  });

  it("carries its topic and payload, and a unique id", () => {
    broker.subscribe("user.created", record);

    broker.publish("user.created", { id: "u1" });
    broker.publish("user.created", { id: "u2" });

    expect(seen.map((m) => [m.topic, m.payload])).toEqual([
      ["user.created", { id: "u1" }],
      ["user.created", { id: "u2" }],
    ]);
    expect(typeof seen[0]?.id).toBe("string");
    expect(seen[0]?.id).not.toBe(seen[1]?.id);
  });

  it("starts a chain of its own when published outside any handler", () => {
    broker.subscribe("user.created", record);

    broker.publish("user.created", { id: "u1" });

    const [message] = seen;
    expect(message?.correlationId).toBe(message?.id);
    expect(message?.causationId).toBeUndefined();
  });

  it("is frozen: one handler cannot rewrite what the next one reads", () => {
    broker.subscribe("user.created", record);

    broker.publish("user.created", { id: "u1" });

    expect(Object.isFrozen(seen[0])).toBe(true);
  });
});

describe("a message published from a handler", () => {
  it("inherits the correlation id and names its parent as the cause", () => {
    broker.subscribe("user.created", (message) => {
      record(message);
      broker.publish("email.welcome", { to: "ada@example.com" });
    });
    broker.subscribe("email.welcome", record);

    broker.publish("user.created", { id: "u1" });

    const [created, welcome] = seen;
    expect(welcome?.correlationId).toBe(created?.id);
    expect(welcome?.causationId).toBe(created?.id);
    expect(welcome?.id).not.toBe(created?.id);
  });

  it("leaves the message being handled as it was for the next handler of the same message", () => {
    broker.subscribe("user.created", (message) => {
      record(message);
      broker.publish("email.welcome", {});
    });
    broker.subscribe("user.created", () => broker.publish("audit.logged", {}));
    broker.subscribe("email.welcome", record);
    broker.subscribe("audit.logged", record);

    broker.publish("user.created", { id: "u1" });

    const [created] = on("user.created");
    const [audit] = on("audit.logged");
    expect(audit?.causationId).toBe(created?.id);
    expect(audit?.correlationId).toBe(created?.id);
  });

  it("keeps a synchronous chain of three together, each naming its own parent", () => {
    broker.subscribe("order.placed", () => broker.publish("payment.captured", {}));
    broker.subscribe("payment.captured", () => broker.publish("order.shipped", {}));
    for (const topic of ["order.placed", "payment.captured", "order.shipped"]) {
      broker.subscribe(topic, record);
    }

    broker.publish("order.placed", {});

    const [placed] = on("order.placed");
    const [captured] = on("payment.captured");
    const [shipped] = on("order.shipped");
    expect(shipped?.correlationId).toBe(placed?.id);
    expect(captured?.causationId).toBe(placed?.id);
    expect(shipped?.causationId).toBe(captured?.id);
  });

  it("still inherits it when published after an await", async () => {
    broker.subscribe("user.created", async (message) => {
      record(message);
      await wait(100); // a database write, say
      broker.publish("email.welcome", { to: "ada@example.com" });
    });
    broker.subscribe("email.welcome", record);

    broker.publish("user.created", { id: "u1" });
    await vi.advanceTimersByTimeAsync(100);

    const [created, welcome] = seen;
    expect(welcome?.topic).toBe("email.welcome");
    expect(welcome?.correlationId).toBe(created?.id);
    expect(welcome?.causationId).toBe(created?.id);
  });

  it("keeps a chain of three together, each naming its own parent", async () => {
    broker.subscribe("order.placed", async () => {
      await wait(10);
      broker.publish("payment.captured", {});
    });
    broker.subscribe("payment.captured", async () => {
      await wait(10);
      broker.publish("order.shipped", {});
    });
    for (const topic of ["order.placed", "payment.captured", "order.shipped"]) {
      broker.subscribe(topic, record);
    }

    broker.publish("order.placed", {});
    await vi.advanceTimersByTimeAsync(20);

    const [placed, captured, shipped] = seen;
    expect(seen.map((m) => m.topic)).toEqual(["order.placed", "payment.captured", "order.shipped"]);
    expect(new Set(seen.map((m) => m.id)).size).toBe(3);
    expect(new Set(seen.map((m) => m.correlationId))).toEqual(new Set([placed?.id]));
    expect(captured?.causationId).toBe(placed?.id);
    expect(shipped?.causationId).toBe(captured?.id);
  });
});

describe("separate chains", () => {
  it("do not mix: a publish after the handlers returned starts a new chain", () => {
    broker.subscribe("user.created", (message) => {
      record(message);
      broker.publish("email.welcome", {});
    });
    broker.subscribe("email.welcome", record);
    broker.subscribe("user.deleted", record);

    broker.publish("user.created", { id: "u1" });
    broker.publish("user.deleted", { id: "u2" });

    const [deleted] = on("user.deleted");
    expect(deleted?.correlationId).toBe(deleted?.id);
    expect(deleted?.causationId).toBeUndefined();
  });

  it("do not mix after a handler threw: the next publish starts a new chain", () => {
    const failure = new Error("handler failed");
    broker.subscribe("user.created", () => {
      throw failure;
    });
    broker.subscribe("user.deleted", record);

    try {
      broker.publish("user.created", { id: "u1" });
    } catch {} // whether publish() rethrows is not this step's concern
    broker.publish("user.deleted", { id: "u2" });

    const [deleted] = on("user.deleted");
    expect(deleted?.correlationId).toBe(deleted?.id);
    expect(deleted?.causationId).toBeUndefined();
  });

  it("keep their own correlation ids when they interleave across awaits", async () => {
    broker.subscribe("order.placed", async (message) => {
      record(message);
      await wait((message.payload as { delay: number }).delay);
      broker.publish("order.shipped", message.payload);
    });
    broker.subscribe("order.shipped", record);

    broker.publish("order.placed", { order: "slow", delay: 100 });
    broker.publish("order.placed", { order: "fast", delay: 50 });
    await vi.advanceTimersByTimeAsync(100);

    const placed = on("order.placed");
    const shipped = on("order.shipped");
    expect(shipped.map((m) => (m.payload as { order: string }).order)).toEqual(["fast", "slow"]);
    expect(shipped[0]?.correlationId).toBe(placed[1]?.id);
    expect(shipped[1]?.correlationId).toBe(placed[0]?.id);
  });
});
