import { setImmediate as nextMacrotask } from "node:timers/promises";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
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

  it("names `priority` in the RangeError's message", () => {
    for (const priority of [Number.NaN, Number.NEGATIVE_INFINITY, "1"]) {
      let error: unknown;
      try {
        broker.subscribe("tick", record("x"), { priority: priority as number });
      } catch (caught) {
        error = caught;
      }
      expect(error, String(priority)).toBeInstanceOf(RangeError);
      expect((error as RangeError).message).toContain("priority");
    }
  });

  it("rejects -Infinity and non-numbers too, and subscribes nothing", () => {
    for (const priority of [Number.NEGATIVE_INFINITY, "1", null, 10n, {}]) {
      let error: unknown;
      try {
        broker.subscribe("tick", record("x"), { priority: priority as number });
      } catch (caught) {
        error = caught;
      }
      expect(error, String(priority)).toBeInstanceOf(RangeError);
    }
    broker.subscribe("tick", record("ok"), { priority: -0 });
    expect(broker.publish("tick", null)).toBe(1);
    expect(calls).toEqual(["ok"]);
  });

  it("orders any finite priorities highest first, ties in subscription order", () => {
    const priority = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(0.5, -0.5, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON),
    );
    fc.assert(
      fc.property(fc.array(priority, { maxLength: 8 }), (priorities) => {
        const fresh = new PriorityBroker();
        const order: number[] = [];
        priorities.forEach((p, i) => {
          fresh.subscribe("tick", () => order.push(i), { priority: p });
        });
        expect(fresh.publish("tick", null)).toBe(priorities.length);
        const expected = priorities
          .map((p, i) => ({ p, i }))
          .sort((a, b) => b.p - a.p || a.i - b.i)
          .map(({ i }) => i);
        expect(order).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe("memory", () => {
  it(
    "lets go of an unsubscribed handler: after a publish, nothing keeps it alive",
    GC_TEST,
    async () => {
      // In a function of its own, so that the test keeps no reference to the handler.
      const subscribeAndUnsubscribe = (): WeakRef<object> => {
        const handler = () => {};
        broker.subscribe("tick", handler, { priority: 1 })();
        return new WeakRef(handler);
      };
      const gone = subscribeAndUnsubscribe();
      broker.subscribe("tick", record("stays"));
      broker.publish("tick", null);

      expect(await isCollected(gone)).toBe(true);
      expect(calls).toEqual(["stays"]);
    },
  );
});

describe("changes during a publish", () => {
  it("skips, and does not count, a handler unsubscribed by an earlier one in the same round", () => {
    let stopB = () => false;
    broker.subscribe("tick", () => {
      calls.push("a");
      stopB();
    });
    stopB = broker.subscribe("tick", record("b"));
    broker.subscribe("tick", record("c"));

    expect(broker.publish("tick", null)).toBe(2);
    expect(calls).toEqual(["a", "c"]);
  });

  it("lets a handler subscribed during a round hear the next publish, not this one", () => {
    broker.subscribe("tick", () => {
      calls.push("a");
      if (calls.length === 1) broker.subscribe("tick", record("late"), { priority: 9 });
    });

    expect(broker.publish("tick", null)).toBe(1);
    expect(broker.publish("tick", null)).toBe(2);
    expect(calls).toEqual(["a", "late", "a"]);
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
