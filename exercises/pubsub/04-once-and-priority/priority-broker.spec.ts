import { beforeEach, describe, expect, it } from "vitest";
import { PriorityBroker } from "./priority-broker";

let broker: PriorityBroker;
let calls: string[];

beforeEach(() => {
  broker = new PriorityBroker();
  calls = [];
});

const record = (name: string) => () => {
  calls.push(name);
};

describe("priority", () => {
  it("runs higher priorities first", () => {
    broker.subscribe("order.placed", record("ship"), { priority: 1 });
    broker.subscribe("order.placed", record("audit"), { priority: 10 });
    broker.subscribe("order.placed", record("email"), { priority: 5 });

    broker.publish("order.placed", {});

    expect(calls).toEqual(["audit", "email", "ship"]);
  });

  it("runs equal priorities in subscription order", () => {
    broker.subscribe("order.placed", record("first"), { priority: 3 });
    broker.subscribe("order.placed", record("second"), { priority: 3 });
    broker.subscribe("order.placed", record("third"), { priority: 3 });

    broker.publish("order.placed", {});

    expect(calls).toEqual(["first", "second", "third"]);
  });

  it("defaults to 0, between positive and negative priorities", () => {
    broker.subscribe("order.placed", record("cleanup"), { priority: -1 });
    broker.subscribe("order.placed", record("default"));
    broker.subscribe("order.placed", record("audit"), { priority: 1 });
    broker.subscribe("order.placed", record("also default"), {});

    broker.publish("order.placed", {});

    expect(calls).toEqual(["audit", "default", "also default", "cleanup"]);
  });

  it("puts a handler that resubscribes at the end of its priority", () => {
    const stop = broker.subscribe("tick", record("a"), { priority: 2 });
    broker.subscribe("tick", record("b"), { priority: 2 });
    stop();
    broker.subscribe("tick", record("a again"), { priority: 2 });

    broker.publish("tick", {});

    expect(calls).toEqual(["b", "a again"]);
  });

  it("rejects a priority that is not a finite number with a RangeError", () => {
    for (const priority of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => broker.subscribe("tick", record("x"), { priority })).toThrow(RangeError);
    }
  });
});

describe("once", () => {
  it("calls the handler for the first publish only", () => {
    broker.subscribe("reply", record("first reply"), { once: true });

    expect(broker.publish("reply", 1)).toBe(1);
    expect(broker.publish("reply", 2)).toBe(0);
    expect(calls).toEqual(["first reply"]);
  });

  it("is not called twice when it publishes its own topic again", () => {
    broker.subscribe(
      "reply",
      () => {
        calls.push("once");
        broker.publish("reply", "again");
      },
      { once: true },
    );

    broker.publish("reply", 1);

    expect(calls).toEqual(["once"]);
  });

  it("can be unsubscribed before it ever runs", () => {
    const stop = broker.subscribe("reply", record("never"), { once: true });

    expect(stop()).toBe(true);
    expect(broker.publish("reply", 1)).toBe(0);
    expect(stop()).toBe(false);
  });

  it("leaves the other handlers of the topic subscribed", () => {
    broker.subscribe("tick", record("once"), { once: true, priority: 5 });
    broker.subscribe("tick", record("always"));

    broker.publish("tick", 1);
    broker.publish("tick", 2);

    expect(calls).toEqual(["once", "always", "always"]);
  });

  it("unsubscribes itself: its unsubscribe function then returns false", () => {
    const stop = broker.subscribe("tick", record("once"), { once: true });

    broker.publish("tick", 1);

    expect(stop()).toBe(false);
  });
});
