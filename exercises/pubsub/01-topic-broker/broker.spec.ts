import { setImmediate as nextMacrotask } from "node:timers/promises";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { beforeEach, describe, expect, it } from "vitest";
import { HandlerError, TopicBroker } from "./broker";

let broker: TopicBroker;
let heard: string[];

beforeEach(() => {
  broker = new TopicBroker();
  heard = [];
});

/** A handler that writes `name: payload` into `heard`. */
const recorder = (name: string) => (payload: unknown) => {
  heard.push(`${name}: ${String(payload)}`);
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

describe("publish()", () => {
  it("delivers the payload to every subscriber of the topic, in subscription order", () => {
    broker.subscribe("error.occurred", recorder("email admin"));
    broker.subscribe("error.occurred", recorder("log to file"));

    broker.publish("error.occurred", "database connection failed");

    expect(heard).toEqual([
      "email admin: database connection failed",
      "log to file: database connection failed",
    ]);
  });

  it("returns how many handlers received the payload", () => {
    broker.subscribe("error.occurred", recorder("a"));
    broker.subscribe("error.occurred", recorder("b"));

    expect(broker.publish("error.occurred", "disk full")).toBe(2);
  });

  it("returns 0 for a topic nobody subscribed to", () => {
    broker.subscribe("error.occurred", recorder("a"));

    expect(broker.publish("user.created", "u1")).toBe(0);
    expect(heard).toEqual([]);
  });

  it("matches the exact topic only: not a longer, shorter or similar name", () => {
    broker.subscribe("chat.lobby", recorder("lobby"));

    broker.publish("chat", "x");
    broker.publish("chat.lobby.message", "y");
    broker.publish("chat.lobby2", "z");
    broker.publish("chat.lobby", "hello");

    expect(heard).toEqual(["lobby: hello"]);
  });

  it("calls a handler subscribed twice twice", () => {
    const handler = recorder("twice");
    broker.subscribe("tick", handler);
    broker.subscribe("tick", handler);

    expect(broker.publish("tick", 1)).toBe(2);
    expect(heard).toEqual(["twice: 1", "twice: 1"]);
  });
});

describe("unsubscribing", () => {
  it("stops delivery to that handler only", () => {
    const stop = broker.subscribe("tick", recorder("a"));
    broker.subscribe("tick", recorder("b"));

    stop();
    broker.publish("tick", 1);

    expect(heard).toEqual(["b: 1"]);
  });

  it("returns true the first time and false after", () => {
    const stop = broker.subscribe("tick", recorder("a"));

    expect(stop()).toBe(true);
    expect(stop()).toBe(false);
  });

  it("ends one subscription of a handler subscribed twice, not both", () => {
    const handler = recorder("twice");
    const first = broker.subscribe("tick", handler);
    broker.subscribe("tick", handler);

    first();

    expect(broker.publish("tick", 1)).toBe(1);
    expect(heard).toEqual(["twice: 1"]);
  });

  it(
    "lets go of the handler: once unsubscribed (and a publish later), nothing keeps it alive",
    GC_TEST,
    async () => {
      // In a function of its own, so that the test keeps no reference to the handler.
      const subscribeAndUnsubscribe = (): WeakRef<object> => {
        const handler = () => {};
        broker.subscribe("tick", handler)();
        return new WeakRef(handler);
      };
      const gone = subscribeAndUnsubscribe();
      broker.subscribe("tick", recorder("stays"));
      broker.publish("tick", 1);

      expect(await isCollected(gone)).toBe(true);
      expect(heard).toEqual(["stays: 1"]);
    },
  );

  it("happens at the end of a `using` block", () => {
    {
      using _subscription = broker.subscribe("tick", recorder("scoped"));
      broker.publish("tick", 1);
    }
    broker.publish("tick", 2);

    expect(heard).toEqual(["scoped: 1"]);
  });
});

describe("subscriptions that change during a publish", () => {
  it("still calls the next handler when a handler unsubscribes itself", () => {
    const stop = broker.subscribe("tick", () => {
      heard.push("once-ish");
      stop();
    });
    broker.subscribe("tick", recorder("next"));
    broker.subscribe("tick", recorder("last"));

    broker.publish("tick", 1);

    expect(heard).toEqual(["once-ish", "next: 1", "last: 1"]);
  });

  it("does not call, or count, a later handler that an earlier one unsubscribed", () => {
    broker.subscribe("tick", () => {
      heard.push("first");
      stopSecond();
    });
    const stopSecond = broker.subscribe("tick", recorder("second"));
    broker.subscribe("tick", recorder("third"));

    const count = broker.publish("tick", 1);

    expect(heard).toEqual(["first", "third: 1"]);
    expect(count).toBe(2);
  });

  it("delivers to a handler subscribed during a publish from the next publish on", () => {
    broker.subscribe("tick", (payload) => {
      if (payload === 1) broker.subscribe("tick", recorder("late"));
    });

    broker.publish("tick", 1);
    expect(heard).toEqual([]);

    broker.publish("tick", 2);
    expect(heard).toEqual(["late: 2"]);
  });
});

describe("a handler that throws", () => {
  it("does not stop the handlers after it", () => {
    broker.subscribe("tick", () => {
      throw new Error("smtp down");
    });
    broker.subscribe("tick", recorder("log"));

    expect(() => broker.publish("tick", 1)).toThrow(AggregateError);
    expect(heard).toEqual(["log: 1"]);
  });

  it("is reported after the round as an AggregateError of HandlerErrors, in order", () => {
    const smtp = new Error("smtp down");
    const failing = () => {
      throw smtp;
    };
    const alsoFailing = () => {
      throw "not even an Error";
    };
    broker.subscribe("user.created", failing);
    broker.subscribe("user.created", recorder("ok"));
    broker.subscribe("user.created", alsoFailing);

    let caught: unknown;
    try {
      broker.publish("user.created", "u1");
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(AggregateError);
    const { errors } = caught as AggregateError;
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    expect(errors[0]).toMatchObject({ cause: smtp, handler: failing, topic: "user.created" });
    expect(errors[1]).toMatchObject({ cause: "not even an Error", handler: alsoFailing });
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["0", 0],
    ['""', ""],
  ])("is reported even when what was thrown is %s", (_, thrown) => {
    const failing = () => {
      throw thrown;
    };
    broker.subscribe("user.created", failing);

    let caught: unknown;
    try {
      broker.publish("user.created", "u1");
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(AggregateError);
    const { errors } = caught as AggregateError;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    expect(errors[0]).toMatchObject({ handler: failing, topic: "user.created" });
    expect(errors[0].cause).toBe(thrown);
  });
});

describe("the error a failing handler is reported as", () => {
  /** What publish() throws. */
  const failure = (topic: string, thrown: unknown): AggregateError => {
    broker.subscribe(topic, () => {
      throw thrown;
    });
    try {
      broker.publish(topic, {});
    } catch (error) {
      expect(error).toBeInstanceOf(AggregateError);
      return error as AggregateError;
    }
    throw new Error("publish() did not throw");
  };

  it("has a message naming the topic and what was thrown", () => {
    const [error] = failure("user.created", new Error("smtp down")).errors;
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as Error).message).toContain("user.created");
    expect((error as Error).message).toContain("smtp down");
    expect((failure("order.paid", "no stock").errors[0] as Error).message).toContain("no stock");
  });

  it("comes in an AggregateError whose message names the topic", () => {
    expect(failure("user.created", new Error("smtp down")).message).toContain("user.created");
  });

  it("is named HandlerError", () => {
    broker.subscribe("user.created", () => {
      throw new Error("smtp down");
    });
    let caught: unknown;
    try {
      broker.publish("user.created", {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AggregateError);
    expect(((caught as AggregateError).errors[0] as Error).name).toBe("HandlerError");
  });
});
