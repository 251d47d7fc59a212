import { setImmediate as nextMacrotask } from "node:timers/promises";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { TypedBroker } from "./typed-broker";

type Topics = {
  "user.created": { id: string; email: string };
  "order.paid": { orderId: string; amount: number };
};

/** A map with one payload type for every topic, for the tests of step 1's run-time rules. */
type Loose = Record<string, string>;

/**
 * Whether nothing keeps `ref`'s target alive: forces a few garbage collections (gc() fetched from
 * a new context, no command-line flag needed), a task apart, until its WeakRef is empty.
 */
async function isCollected(ref: WeakRef<object>): Promise<boolean> {
  v8.setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  v8.setFlagsFromString("--no-expose-gc");
  for (let round = 0; round < 10 && ref.deref() !== undefined; round++) {
    await nextMacrotask(); // a WeakRef target read in a task stays alive until the task ends
    gc();
  }
  return ref.deref() === undefined;
}

/** Forced collections are slow on a loaded machine: room for every round, not a deadline. */
const GC_TEST = { timeout: 60_000 };

describe("TypedBroker at run time", () => {
  it("delivers each payload to the handlers of its topic", () => {
    const broker = new TypedBroker<Topics>();
    const welcomed: string[] = [];
    const paid: number[] = [];
    broker.subscribe("user.created", (user) => welcomed.push(user.email));
    broker.subscribe("order.paid", (order) => paid.push(order.amount));

    broker.publish("user.created", { id: "u1", email: "ada@example.com" });
    broker.publish("order.paid", { orderId: "o1", amount: 42 });

    expect(welcomed).toEqual(["ada@example.com"]);
    expect(paid).toEqual([42]);
  });

  it("returns how many handlers were called, and unsubscribes", () => {
    const broker = new TypedBroker<Topics>();
    const stop = broker.subscribe("order.paid", () => {});
    broker.subscribe("order.paid", () => {});

    expect(broker.publish("order.paid", { orderId: "o1", amount: 1 })).toBe(2);
    stop();
    expect(broker.publish("order.paid", { orderId: "o2", amount: 1 })).toBe(1);
  });

  it("delivers to the exact topic only, and returns 0 when nobody listens", () => {
    const broker = new TypedBroker<Loose>();
    const heard: string[] = [];
    broker.subscribe("chat.lobby", () => heard.push("chat.lobby"));
    broker.subscribe("chat", () => heard.push("chat"));
    broker.subscribe("chat.lobby2", () => heard.push("chat.lobby2"));

    expect(broker.publish("chat.lobby", "hi")).toBe(1);
    expect(broker.publish("chat.lobby.x", "hi")).toBe(0);
    expect(heard).toEqual(["chat.lobby"]);
  });

  it("calls the handlers in subscription order", () => {
    const broker = new TypedBroker<Loose>();
    const calls: string[] = [];
    for (const name of ["a", "b", "c"]) broker.subscribe("chat", () => calls.push(name));

    broker.publish("chat", "hi");

    expect(calls).toEqual(["a", "b", "c"]);
  });
});

describe("unsubscribing", () => {
  it("returns true, then false, and stops delivery", () => {
    const broker = new TypedBroker<Loose>();
    const calls: string[] = [];
    const stop = broker.subscribe("chat", (text) => calls.push(String(text)));

    expect(stop()).toBe(true);
    expect(stop()).toBe(false);
    expect(broker.publish("chat", "hi")).toBe(0);
    expect(calls).toEqual([]);
  });

  it("ends one subscription of a handler subscribed twice, and keeps the other", () => {
    const broker = new TypedBroker<Loose>();
    let calls = 0;
    const handler = () => {
      calls++;
    };
    const first = broker.subscribe("chat", handler);
    broker.subscribe("chat", handler);

    expect(broker.publish("chat", "one")).toBe(2);
    first();
    first();
    expect(broker.publish("chat", "two")).toBe(1);
    expect(calls).toBe(3);
  });
});

describe("memory", () => {
  it(
    "lets go of an unsubscribed handler: after a publish, nothing keeps it alive",
    GC_TEST,
    async () => {
      const broker = new TypedBroker<Loose>();
      // In a function of its own, so that the test keeps no reference to the handler.
      const subscribeAndUnsubscribe = (): WeakRef<object> => {
        const handler = () => {};
        broker.subscribe("chat", handler)();
        return new WeakRef(handler);
      };
      const gone = subscribeAndUnsubscribe();
      const calls: string[] = [];
      broker.subscribe("chat", (text) => calls.push(text));
      broker.publish("chat", "hi");

      expect(await isCollected(gone)).toBe(true);
      expect(calls).toEqual(["hi"]);
    },
  );
});

describe("changes during a publish", () => {
  it("skips, and does not count, a handler unsubscribed by an earlier one in the same round", () => {
    const broker = new TypedBroker<Loose>();
    const calls: string[] = [];
    let stopB = () => false;
    broker.subscribe("chat", () => {
      calls.push("a");
      stopB();
    });
    stopB = broker.subscribe("chat", () => calls.push("b"));
    broker.subscribe("chat", () => calls.push("c"));

    expect(broker.publish("chat", "hi")).toBe(2);
    expect(calls).toEqual(["a", "c"]);
  });

  it("still calls the next handler when one unsubscribes itself", () => {
    const broker = new TypedBroker<Loose>();
    const calls: string[] = [];
    const stopA = broker.subscribe("chat", () => {
      calls.push("a");
      stopA();
    });
    broker.subscribe("chat", () => calls.push("b"));

    expect(broker.publish("chat", "one")).toBe(2);
    expect(broker.publish("chat", "two")).toBe(1);
    expect(calls).toEqual(["a", "b", "b"]);
  });

  it("lets a handler subscribed during a round hear the next publish, not this one", () => {
    const broker = new TypedBroker<Loose>();
    const calls: string[] = [];
    broker.subscribe("chat", (text) => {
      calls.push(`a:${text}`);
      if (text === "one") broker.subscribe("chat", (later) => calls.push(`new:${later}`));
    });

    expect(broker.publish("chat", "one")).toBe(1);
    expect(broker.publish("chat", "two")).toBe(2);
    expect(calls).toEqual(["a:one", "a:two", "new:two"]);
  });
});
