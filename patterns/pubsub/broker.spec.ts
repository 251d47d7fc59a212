import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { garbageCollector } from "../../kata/spec-helpers";
import { Broker, DEFAULT_MAX_DEPTH } from "./broker";
import { HandlerError, RecursionLimitError } from "./errors";
import { InvalidTopicError } from "./topics";
import type { Message } from "./types";

let broker: Broker;
let calls: string[];

beforeEach(() => {
  broker = new Broker();
  calls = [];
});

const record = (name: string) => (message: Message) => {
  calls.push(`${name} ${message.topic}`);
};

/** What a call threw (the spec wants to look at it), or a failure if it did not throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("subscribe() and publish()", () => {
  it("deliver a frozen message to every matching handler and return how many", () => {
    const seen: Message[] = [];
    broker.subscribe("model.user.created", (m) => {
      seen.push(m);
    });
    broker.subscribe("model.+.created", (m) => {
      seen.push(m);
    });

    expect(broker.publish("model.user.created", { id: "u1" })).toBe(2);

    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toMatchObject({ topic: "model.user.created", payload: { id: "u1" }, depth: 0 });
    expect(Object.isFrozen(seen[0])).toBe(true);
  });

  it("make no message for a topic nobody matches, whatever has come and gone", () => {
    const createId = vi.fn(() => "id");
    const quiet = new Broker({ createId });
    quiet.subscribe(/a/, record("x"));
    const second = quiet.subscribe(/b/, record("x"));
    quiet.subscribe("c", record("x"))();
    second();

    expect(quiet.publish("b", null)).toBe(0);
    expect(quiet.publish("c", null)).toBe(0);

    expect(createId).not.toHaveBeenCalled();
  });

  it("return 0 for a topic nobody matches", () => {
    broker.subscribe("a.b", record("x"));
    expect(broker.publish("a.c", null)).toBe(0);
  });

  it("match exact topics, + and #, and RegExps", () => {
    broker.subscribe("event.assets.updated.image", record("exact"));
    broker.subscribe("event.assets.updated.+", record("plus"));
    broker.subscribe("event.assets.#", record("hash"));
    broker.subscribe(/event\.assets\.updated\..*/, record("regex"));
    broker.subscribe("event.users.#", record("other"));

    broker.publish("event.assets.updated.image", null);

    expect(calls.map((c) => c.split(" ")[0]).sort()).toEqual(["exact", "hash", "plus", "regex"]);
  });

  it("anchor RegExp subscriptions: no substring matches, no lastIndex state", () => {
    broker.subscribe(/assets\.updated/g, record("regex"));

    broker.publish("assets.updated", null);
    broker.publish("assets.updated", null);
    broker.publish("event.assets.updated.image", null);

    expect(calls).toEqual(["regex assets.updated", "regex assets.updated"]);
  });

  it("use a clock and id generator of your choice", () => {
    let n = 0;
    const custom = new Broker({ createId: () => `m${++n}`, now: () => 1234 });
    const seen: Message[] = [];
    custom.subscribe("#", (m) => {
      seen.push(m);
    });

    custom.publish("a", 1);

    expect(seen[0]).toMatchObject({ id: "m1", correlationId: "m1", timestamp: 1234 });
  });

  it("stamp each message with its own time", () => {
    let now = 1000;
    const clocked = new Broker({ now: () => now++ });
    const times: number[] = [];
    clocked.subscribe("t", (m) => {
      times.push(m.timestamp);
    });

    clocked.publish("t", 1);
    clocked.publish("t", 2);

    expect(times).toEqual([1000, 1001]);
  });
});

describe("priority", () => {
  it("runs higher priorities first, then subscription order, across every kind of pattern", () => {
    broker.subscribe("a.b", record("exact-0"));
    broker.subscribe(/a\..*/, record("regex-5"), { priority: 5 });
    broker.subscribe("a.#", record("hash-0"));
    broker.subscribe("a.+", record("plus-5"), { priority: 5 });
    broker.subscribe("#", record("all-minus-1"), { priority: -1 });
    broker.subscribe("a.b", record("exact-10"), { priority: 10 });

    broker.publish("a.b", null);

    expect(calls.map((c) => c.split(" ")[0])).toEqual([
      "exact-10",
      "regex-5",
      "plus-5",
      "exact-0",
      "hash-0",
      "all-minus-1",
    ]);
  });

  it("accepts fractional and negative priorities, and refuses non-finite ones", () => {
    broker.subscribe("t", record("half"), { priority: 0.5 });
    broker.subscribe("t", record("one"), { priority: 1 });
    broker.publish("t", null);
    expect(calls).toEqual(["one t", "half t"]);

    for (const priority of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => broker.subscribe("t", record("x"), { priority })).toThrow(RangeError);
    }
    expect(() => broker.subscribe("t", record("x"), { priority: "1" as never })).toThrow(TypeError);
  });

  it("name the bad priority in the error", () => {
    expect(() => broker.subscribe("t", record("x"), { priority: "1" as never })).toThrow(
      new TypeError('`options.priority` must be a number, got "1"'),
    );
    expect(() => broker.subscribe("t", record("x"), { priority: Number.NaN })).toThrow(
      new RangeError("`options.priority` must be finite, got NaN"),
    );
  });
});

describe("once", () => {
  it("delivers one message, then unsubscribes", () => {
    const subscription = broker.subscribe("t", record("once"), { once: true });

    expect(broker.publish("t", 1)).toBe(1);
    expect(broker.publish("t", 2)).toBe(0);
    expect(subscription.active).toBe(false);
    expect(subscription()).toBe(false);
    expect(broker.size).toBe(0);
  });

  it("is not reached again by a publish from inside itself", () => {
    broker.subscribe(
      "t",
      () => {
        calls.push("once");
        broker.publish("t", "again");
      },
      { once: true },
    );

    broker.publish("t", 1);

    expect(calls).toEqual(["once"]);
  });

  it("is removed even if it throws", () => {
    broker.subscribe(
      "t",
      () => {
        throw new Error("boom");
      },
      { once: true },
    );

    expect(() => broker.publish("t", 1)).toThrow(AggregateError);
    expect(broker.publish("t", 2)).toBe(0);
  });

  it("works with wildcards and RegExps", () => {
    broker.subscribe("a.#", record("hash"), { once: true });
    broker.subscribe(/a\..+/, record("regex"), { once: true });

    broker.publish("a.b", null);
    broker.publish("a.c", null);

    expect(calls).toEqual(["hash a.b", "regex a.b"]);
  });
});

describe("a subscription", () => {
  it("unsubscribes when called: true once, then false", () => {
    const subscription = broker.subscribe("t", record("x"));

    expect(subscription.active).toBe(true);
    expect(subscription()).toBe(true);
    expect(subscription()).toBe(false);
    expect(subscription.active).toBe(false);
    expect(broker.publish("t", null)).toBe(0);
  });

  it("unsubscribes at the end of a using block, even one that throws", () => {
    expect(() => {
      using _subscription = broker.subscribe("t", record("scoped"));
      broker.publish("t", null);
      throw new Error("leaving early");
    }).toThrow("leaving early");

    broker.publish("t", null);
    expect(calls).toEqual(["scoped t"]);
    expect(broker.size).toBe(0);
  });

  it("tells its pattern", () => {
    expect(broker.subscribe("a.+", record("x")).pattern).toBe("a.+");
    const regex = /a/;
    expect(broker.subscribe(regex, record("x")).pattern).toBe(regex);
  });

  it("ends when its AbortSignal aborts", () => {
    const controller = new AbortController();
    const subscription = broker.subscribe("t", record("x"), { signal: controller.signal });

    controller.abort();

    expect(subscription.active).toBe(false);
    expect(broker.publish("t", null)).toBe(0);
    expect(subscription()).toBe(false);
  });

  it("is never made with an already aborted signal", () => {
    const subscription = broker.subscribe("t", record("x"), { signal: AbortSignal.abort() });

    expect(subscription.active).toBe(false);
    expect(subscription()).toBe(false);
    expect(broker.size).toBe(0);
    expect(broker.publish("t", null)).toBe(0);
  });

  it("lets go of its signal when unsubscribed", () => {
    const signal = new AbortController().signal;
    const add = vi.spyOn(signal, "addEventListener");
    const remove = vi.spyOn(signal, "removeEventListener");

    broker.subscribe("t", record("x"), { signal })();

    expect(remove).toHaveBeenCalledWith("abort", add.mock.calls[0]?.[1]);
  });

  it("is separate for a handler subscribed twice", () => {
    const handler = record("twice");
    const first = broker.subscribe("t", handler);
    broker.subscribe("t", handler);

    expect(broker.publish("t", null)).toBe(2);
    first();
    expect(broker.publish("t", null)).toBe(1);
  });
});

describe("changes during a publish", () => {
  it("skip a handler unsubscribed earlier in the round, and do not count it", () => {
    broker.subscribe("t", () => {
      calls.push("first");
      second();
      regex();
    });
    const second = broker.subscribe("t", record("second"));
    const regex = broker.subscribe(/t/, record("regex"));
    broker.subscribe("t", record("third"));

    expect(broker.publish("t", null)).toBe(2);
    expect(calls).toEqual(["first", "third t"]);
  });

  it("still call the next handler when one unsubscribes itself", () => {
    const self = broker.subscribe("t", () => {
      calls.push("self");
      self();
    });
    broker.subscribe("t", record("next"));

    broker.publish("t", null);

    expect(calls).toEqual(["self", "next t"]);
  });

  it("deliver to a handler subscribed during a round from the next round on", () => {
    broker.subscribe("t", (m) => {
      if (m.payload === 1) broker.subscribe("t", record("late"), { priority: 100 });
    });

    broker.publish("t", 1);
    broker.publish("t", 2);

    expect(calls).toEqual(["late t"]);
  });

  it("call no handler after clear()", () => {
    broker.subscribe("t", () => {
      calls.push("clearer");
      broker.clear();
    });
    broker.subscribe("t", record("after"));
    broker.subscribe(/t/, record("regex"));

    expect(broker.publish("t", null)).toBe(1);
    expect(calls).toEqual(["clearer"]);
    expect(broker.size).toBe(0);
  });
});

describe("a handler that throws", () => {
  it("does not stop the others; the failures are thrown together after the round", () => {
    const smtp = new Error("smtp down");
    const welcome = () => {
      throw smtp;
    };
    broker.subscribe("model.user.created", welcome);
    broker.subscribe("model.+.created", record("audit"));
    broker.subscribe(/model\..*/, () => {
      throw "a string";
    });

    const error = thrown(() => broker.publish("model.user.created", { id: "u1" }));

    expect(calls).toEqual(["audit model.user.created"]);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toBe(
      '2 of 3 handlers failed on "model.user.created"',
    );
    const [first, second] = (error as AggregateError).errors as HandlerError[];
    expect(first).toBeInstanceOf(HandlerError);
    expect(first).toMatchObject({
      cause: smtp,
      handler: welcome,
      pattern: "model.user.created",
      topic: "model.user.created",
      message: 'handler "welcome" of model.user.created failed on "model.user.created": smtp down',
    });
    expect(first?.messageId).toEqual(expect.any(String));
    expect(second).toMatchObject({ cause: "a string", pattern: /model\..*/ });
  });
});

describe("async handlers", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("are not awaited: publish returns at once", async () => {
    broker.subscribe("t", async () => {
      await wait(100);
      calls.push("done");
    });

    expect(broker.publish("t", null)).toBe(1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual(["done"]);
  });

  it("report their rejections together on the error channel, once all have settled", async () => {
    const onError = vi.fn();
    const quiet = new Broker({ onError });
    const late = new Error("late");
    quiet.subscribe("t", async () => {
      await wait(50);
      throw late;
    });
    quiet.subscribe("t", async () => {
      await wait(100);
    });
    quiet.subscribe("t", async () => {
      throw new Error("early");
    });

    expect(quiet.publish("t", "payload")).toBe(3);
    await vi.advanceTimersByTimeAsync(50);
    expect(onError).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(50);

    expect(onError).toHaveBeenCalledOnce();
    const [error, message] = onError.mock.calls[0] as [AggregateError, Message];
    expect(error.message).toBe('2 of 3 async handlers failed on "t"');
    expect(error.errors.map((e: HandlerError) => (e.cause as Error).message)).toEqual([
      "late",
      "early",
    ]);
    expect(message.payload).toBe("payload");
  });

  it("go to console.error by default, never unhandled", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    broker.subscribe("t", async () => {
      throw new Error("nobody listens");
    });

    broker.publish("t", null);
    await broker.settled();

    expect(log).toHaveBeenCalledWith(expect.any(AggregateError));
  });

  it("can be waited for with settled(), including what they publish", async () => {
    broker.subscribe("a", async () => {
      await wait(10);
      broker.publish("b", null);
    });
    broker.subscribe("b", async () => {
      await wait(10);
      calls.push("b done");
    });

    broker.publish("a", null);
    const settled = broker.settled();
    await vi.advanceTimersByTimeAsync(20);
    await settled;

    expect(calls).toEqual(["b done"]);
  });

  it("report nothing when every async handler succeeds", async () => {
    const onError = vi.fn();
    const quiet = new Broker({ onError });
    quiet.subscribe("t", async () => {
      await wait(10);
    });

    quiet.publish("t", null);
    await vi.advanceTimersByTimeAsync(10);
    await quiet.settled();

    expect(onError).not.toHaveBeenCalled();
  });

  it("accept thenable functions, as Promises/A+ defines thenables", async () => {
    const onError = vi.fn();
    const quiet = new Broker({ onError });
    quiet.subscribe("t", () =>
      Object.assign(() => undefined, {
        // biome-ignore lint/suspicious/noThenProperty: a thenable function is the point here
        then: (_resolve: unknown, reject: (e: unknown) => void) => reject(new Error("thenable")),
      }),
    );

    quiet.publish("t", null);
    await quiet.settled();

    expect(onError).toHaveBeenCalledOnce();
  });

  it("treat a handler that returns null as done, not as a failure", () => {
    broker.subscribe("t", () => null);

    expect(broker.publish("t", null)).toBe(1);
  });

  it("accept thenables that are not promises", async () => {
    const onError = vi.fn();
    const quiet = new Broker({ onError });
    quiet.subscribe("t", () => ({
      // biome-ignore lint/suspicious/noThenProperty: a thenable is the point of this test
      then: (_resolve: unknown, reject: (e: unknown) => void) => reject(new Error("thenable")),
    }));

    quiet.publish("t", null);
    await quiet.settled();

    expect(onError).toHaveBeenCalledOnce();
  });
});

describe("runaway chains", () => {
  it("stop at maxDepth with a RecursionLimitError that unwinds every publish", () => {
    broker.subscribe("ping", () => broker.publish("pong", null));
    broker.subscribe("pong", () => broker.publish("ping", null));

    const error = thrown(() => broker.publish("ping", null));

    expect(error).toBeInstanceOf(RecursionLimitError);
    expect(error).toMatchObject({ maxDepth: DEFAULT_MAX_DEPTH });
  });

  it("stop even across awaits, reported on the error channel", async () => {
    vi.useFakeTimers();
    try {
      const onError = vi.fn();
      const looping = new Broker({ onError, maxDepth: 3 });
      const depths: number[] = [];
      looping.subscribe("loop", async (m) => {
        depths.push(m.depth);
        await new Promise((resolve) => setTimeout(resolve, 1));
        looping.publish("loop", null);
      });

      looping.publish("loop", null);
      await vi.advanceTimersByTimeAsync(10);

      expect(depths).toEqual([0, 1, 2, 3]);
      const [error] = onError.mock.calls.at(-1) as [AggregateError];
      expect((error.errors[0] as HandlerError).cause).toBeInstanceOf(RecursionLimitError);
    } finally {
      vi.useRealTimers();
    }
  });

  it("can be allowed to go deeper", () => {
    const deep = new Broker({ maxDepth: Number.POSITIVE_INFINITY });
    let count = 0;
    deep.subscribe("n", () => {
      if (++count < 100) deep.publish("n", null);
    });

    deep.publish("n", null);

    expect(count).toBe(100);
  });
});

describe("bad input", () => {
  it("gets an InvalidTopicError for a malformed pattern or topic, and nothing is subscribed", () => {
    expect(() => broker.subscribe("a.#.b" as never, record("x"))).toThrow(InvalidTopicError);
    expect(() => broker.subscribe("" as never, record("x"))).toThrow(InvalidTopicError);
    expect(broker.size).toBe(0);
    expect(() => broker.publish("a.+", null)).toThrow(InvalidTopicError);
    expect(() => broker.publish("a..b", null)).toThrow(InvalidTopicError);
  });

  it("gets a TypeError naming the argument", () => {
    expect(() => broker.subscribe(42 as never, record("x"))).toThrow("`pattern` must be a string");
    expect(() => broker.subscribe("t", "handler" as never)).toThrow("`handler` must be a function");
    expect(() => broker.subscribe("t", record("x"), null as never)).toThrow("`options` must be");
    expect(() => broker.subscribe("t", record("x"), { once: 1 as never })).toThrow(
      "`options.once` must be a boolean",
    );
    expect(() => broker.subscribe("t", record("x"), { signal: {} as never })).toThrow(
      "`options.signal` must be an AbortSignal",
    );
    expect(() => broker.publish(null as never, 1)).toThrow("`topic` must be a string");
    expect(() => broker.publish("t", 1, { correlationId: "" })).toThrow(
      "`options.correlationId` must be a non-empty string",
    );
    expect(broker.size).toBe(0);
  });

  it("gets a TypeError for options that are not an object, or a correlationId not a string", () => {
    broker.subscribe("t", record("x"));

    expect(() => broker.subscribe("t", record("x"), 5 as never)).toThrow(
      new TypeError("`options` must be an object, got 5"),
    );
    for (const options of [null, 5]) {
      expect(() => broker.publish("t", 1, options as never)).toThrow(
        `\`options\` must be an object, got ${options === null ? "null" : "5"}`,
      );
    }
    expect(() => broker.publish("t", 1, { correlationId: 42 as never })).toThrow(
      new TypeError("`options.correlationId` must be a non-empty string, got 42"),
    );
    expect(calls).toEqual([]);
  });

  it("names the first bad argument: the pattern's type, then the handler, then the syntax", () => {
    expect(() => broker.subscribe(42 as never, "handler" as never)).toThrow(
      "`pattern` must be a string",
    );
    expect(() => broker.subscribe("a.#.b" as never, "handler" as never)).toThrow(
      "`handler` must be a function",
    );
  });

  it("gets named errors in the constructor", () => {
    expect(() => new Broker({ maxDepth: 0 })).toThrow(
      new RangeError("`options.maxDepth` must be a positive integer or Infinity, got 0"),
    );
    expect(() => new Broker({ maxDepth: 1.5 })).toThrow(RangeError);
    expect(() => new Broker({ maxDepth: "9" as never })).toThrow(
      new TypeError('`options.maxDepth` must be a number, got "9"'),
    );
    expect(new Broker({ maxDepth: 1 }).maxDepth).toBe(1);
    expect(() => new Broker({ onError: "log" as never })).toThrow(
      "`options.onError` must be a function",
    );
    expect(() => new Broker({ createId: 1 as never })).toThrow("`options.createId`");
  });
});

describe("size and clear()", () => {
  it("count active subscriptions of every kind, and clear them all", () => {
    const controller = new AbortController();
    broker.subscribe("a", record("x"));
    broker.subscribe("a.#", record("x"), { signal: controller.signal });
    const regex = broker.subscribe(/a/, record("x"));
    expect(broker.size).toBe(3);

    broker.clear();

    expect(broker.size).toBe(0);
    expect(regex.active).toBe(false);
    expect(regex()).toBe(false);
    controller.abort(); // its listener was removed: nothing happens
    expect(broker.size).toBe(0);
    expect(broker.publish("a", null)).toBe(0);
  });
});

describe("memory", () => {
  it("stays flat over 100 000 subscribe/unsubscribe cycles", () => {
    const gc = garbageCollector();
    const handler = () => {};
    const cycle = (i: number) => broker.subscribe(`device.${i}.+`, handler)();
    for (let i = 0; i < 1000; i++) cycle(i);
    gc();
    const before = process.memoryUsage().heapUsed;

    for (let i = 0; i < 100_000; i++) cycle(i);
    gc();

    expect(broker.size).toBe(0);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1024 * 1024);
  });
});

describe("the errors", () => {
  const anonymous = [() => undefined][0] as () => undefined;

  it.each([
    [
      function audit() {},
      new Error("disk full"),
      'handler "audit" of a.+ failed on "a.b": disk full',
    ],
    [anonymous, "plain text", 'handler (anonymous) of a.+ failed on "a.b": plain text'],
    [anonymous, 42, 'handler (anonymous) of a.+ failed on "a.b": 42'],
  ])("HandlerError names the handler, pattern, topic and cause: %s", (handler, cause, message) => {
    const error = new HandlerError(handler, "a.+", "a.b", "id-1", cause);

    expect(error.name).toBe("HandlerError");
    expect(error.message).toBe(message);
  });

  it("RecursionLimitError says what to do about it", () => {
    const error = new RecursionLimitError(3, "a");

    expect(error.name).toBe("RecursionLimitError");
    expect(error.message).toBe(
      'publishing "a" would make a chain of more than 3 messages: handlers keep publishing what ' +
        "they handle (raise maxDepth if the depth is intended)",
    );
  });
});

/** Values whose properties cannot be read, or that are not errors at all: what a hostile handler throws. */
function hostileValues(): Array<[string, unknown]> {
  const badMessage = new Error("x");
  Object.defineProperty(badMessage, "message", {
    get() {
      throw new Error("message getter");
    },
  });
  const badName = new Error("x");
  Object.defineProperty(badName, "name", {
    get() {
      throw new Error("name getter");
    },
  });
  const trap = () => {
    throw new Error("trap");
  };
  const proxy = new Proxy(
    {},
    { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap },
  );
  return [
    ["an object without a prototype", Object.create(null)],
    ["an Error whose message getter throws", badMessage],
    ["an Error whose name getter throws", badName],
    ["a Proxy whose every trap throws", proxy],
    ["undefined", undefined],
  ];
}

describe("a hostile thrown value", () => {
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on("unhandledRejection", onUnhandled);
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  it.each(hostileValues())("thrown (%s) does not skip the handlers after it", (_, value) => {
    broker.subscribe("a", record("before"));
    broker.subscribe("a", () => {
      throw value;
    });
    broker.subscribe("a", record("after"));

    const error = thrown(() => broker.publish("a", null)) as AggregateError;

    expect(calls).toEqual(["before a", "after a"]);
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toBeInstanceOf(HandlerError);
    expect(Object.is((error.errors[0] as HandlerError).cause, value)).toBe(true);
  });

  it.each(hostileValues())(
    "rejected (%s) reaches onError once, and nothing goes unhandled",
    async (_, value) => {
      const onError = vi.fn();
      const b = new Broker({ onError });
      b.subscribe("a", async () => {
        throw value;
      });
      b.subscribe("a", record("after"));

      b.publish("a", null);
      await b.settled();
      await new Promise((resolve) => setImmediate(resolve)); // let an unhandled rejection surface

      expect(calls).toEqual(["after a"]);
      expect(onError).toHaveBeenCalledTimes(1);
      const [error] = onError.mock.calls[0] as [AggregateError];
      expect(Object.is((error.errors[0] as HandlerError).cause, value)).toBe(true);
      expect(unhandled).toEqual([]);
    },
  );

  it("an onError that throws becomes a BrokerWarning, and the broker goes on", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const b = new Broker({
      onError: () => {
        throw hostileValues()[1]?.[1];
      },
    });
    b.subscribe("a", async () => {
      throw new Error("late");
    });

    b.publish("a", null);
    await b.settled();
    b.publish("a", null);
    await b.settled();
    await new Promise((resolve) => setImmediate(resolve));

    expect(unhandled).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]).toEqual([
      `the broker's onError threw (a value that cannot be read) while reporting: 1 of 1 async handlers failed on "a"`,
      "BrokerWarning",
    ]);
  });
});

describe("limits and bad options", () => {
  it("refuses a 10 000-level pattern or topic with an InvalidTopicError, before subscribing", () => {
    const deep = Array.from({ length: 10_000 }, () => "a").join(".");
    expect(() => broker.subscribe(`${deep}.#`, () => {})).toThrow(
      new InvalidTopicError(`${deep}.#`, "more than 128 levels", "pattern"),
    );
    expect(() => broker.publish(deep, null)).toThrow(
      new InvalidTopicError(deep, "more than 128 levels"),
    );
    expect(broker.size).toBe(0);
  });

  it("accepts exactly 128 levels", () => {
    const topic = Array.from({ length: 128 }, () => "a").join(".");
    broker.subscribe("a.#", record("deep"));
    broker.subscribe(topic, record("exact"));
    expect(broker.publish(topic, null)).toBe(2);
  });

  it.each([null, 5])("new Broker(%o) throws the named TypeError", (options) => {
    expect(() => new Broker(options as never)).toThrow(
      new TypeError(`\`options\` must be an object, got ${options === null ? "null" : "5"}`),
    );
  });
});

describe("a room of 20 000 subscribers leaving", () => {
  it("unsubscribes each without searching or shifting an array", () => {
    const count = 20_000;
    const leave = Array.from({ length: count }, () => broker.subscribe("chat.lobby", () => {}));
    const searches = { count: 0 };
    const { indexOf, lastIndexOf, splice, includes, findIndex, toSpliced } = Array.prototype;
    const counted = <F extends (...args: never[]) => unknown>(f: F) =>
      function (this: unknown[], ...args: Parameters<F>) {
        if (this.length > 100) searches.count++; // a pattern's few levels are no search
        return f.apply(this, args);
      };
    Object.assign(Array.prototype, {
      indexOf: counted(indexOf),
      lastIndexOf: counted(lastIndexOf),
      splice: counted(splice),
      includes: counted(includes),
      findIndex: counted(findIndex),
      toSpliced: counted(toSpliced),
    });
    try {
      // From the middle outwards: neither the first nor the last in line, most of the time.
      for (let k = 0; k < count; k++) {
        const i = k % 2 === 0 ? count / 2 + k / 2 : count / 2 - (k + 1) / 2;
        (leave[i] as () => boolean)();
      }
    } finally {
      Object.assign(Array.prototype, {
        indexOf,
        lastIndexOf,
        splice,
        includes,
        findIndex,
        toSpliced,
      });
    }

    expect(searches.count).toBe(0);
    expect(broker.size).toBe(0);
    expect(broker.publish("chat.lobby", null)).toBe(0);
  });
});
