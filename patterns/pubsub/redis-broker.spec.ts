/**
 * The Redis broker against a real redis-server of its own (kata/services.ts starts one on an
 * ephemeral loopback port; a machine without Debian's redis-server package gets an error naming
 * it). Two brokers stand for two processes: each has its own connections, as a second process
 * would. Nothing here waits on the clock: each test awaits the delivery it expects.
 */
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, type RedisService, startRedis } from "../../kata/services";
import { HandlerError, RecursionLimitError } from "./errors";
import {
  BrokerClosedError,
  MalformedMessageError,
  RedisBroker,
  type RedisBrokerOptions,
  RedisConnectionError,
  toRedisGlob,
} from "./redis-broker";
import { InvalidTopicError, topicMatches } from "./topics";
import { currentMessage } from "./tracing";
import type { Message } from "./types";

let redis: RedisService;
let brokers: RedisBroker[] = [];
let errors: unknown[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});
beforeEach(() => {
  errors = [];
});
afterEach(async () => {
  await Promise.all(brokers.map((b) => b.close()));
  brokers = [];
});

/** A broker on the test's Redis whose errors land in `errors`; a fresh prefix isolates tests. */
let prefixes = 0;
async function pair(options: RedisBrokerOptions = {}): Promise<[RedisBroker, RedisBroker]> {
  const prefix = `t${++prefixes}:`;
  const make = () =>
    RedisBroker.connect(redis.url, { prefix, onError: (e) => errors.push(e), ...options });
  const made = await Promise.all([make(), make()]);
  brokers.push(...made);
  return made;
}

/** Resolves with the next `count` messages `broker` delivers on `pattern`. */
async function collect(broker: RedisBroker, pattern: string, count = 1): Promise<Message[]> {
  const got: Message[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  await broker.subscribe(pattern, (m: Message) => {
    got.push(m);
    if (got.length === count) done();
  });
  return all.then(() => got);
}

describe("delivery between processes", () => {
  it("delivers a message published by one broker to a matching handler of another", async () => {
    const [a, b] = await pair();
    const received = collect(b, "chat.lobby");
    const count = await a.publish("chat.lobby", { text: "hi" });
    const [message] = await received;
    expect(count).toBe(1); // one broker connection heard it
    expect(message).toMatchObject({ topic: "chat.lobby", payload: { text: "hi" }, depth: 0 });
    expect(message?.correlationId).toBe(message?.id);
    expect(Object.isFrozen(message)).toBe(true);
  });

  it("resolves publish with the number of connections that heard it, 0 for none", async () => {
    const [a, b] = await pair();
    expect(await a.publish("nobody.listens", 1)).toBe(0);
    await b.subscribe("room.#", () => {});
    await a.subscribe("room.#", () => {});
    expect(await a.publish("room.x", 1)).toBe(2);
  });

  it("keeps per-channel order: 200 messages arrive in the order published", async () => {
    const [a, b] = await pair();
    const received = collect(b, "seq", 200);
    for (let i = 0; i < 200; i++) void a.publish("seq", i);
    expect((await received).map((m) => m.payload)).toEqual([...Array(200).keys()]);
  });

  it("does not deliver to a handler once it unsubscribed, and keeps the others", async () => {
    const [a, b] = await pair();
    const calls: string[] = [];
    const stop = await b.subscribe("news", () => calls.push("first"));
    const last = collect(b, "news", 2);
    expect(await stop()).toBe(true);
    expect(await stop()).toBe(false);
    expect(stop.active).toBe(false);
    await a.publish("news", 1);
    await a.publish("news", 2);
    await last;
    expect(calls).toEqual([]);
    expect(b.size).toBe(1);
  });
});

describe("MQTT patterns over Redis globs", () => {
  it("re-filters locally what the glob over-selects: + is one level, # a whole level", async () => {
    const [a, b] = await pair();
    const plus: string[] = [];
    const hash: string[] = [];
    await b.subscribe("chat.+", (m: Message) => plus.push(m.topic));
    await b.subscribe("sport.#", (m: Message) => hash.push(m.topic));
    for (const topic of [
      "chat.lobby",
      "chat.lobby.typing",
      "chats",
      "sport",
      "sport.x.y",
      "sports",
    ]) {
      await a.publish(topic, null);
    }
    const end = collect(b, "end");
    await a.publish("end", null);
    await end;
    expect(plus).toEqual(["chat.lobby"]);
    expect(hash).toEqual(["sport", "sport.x.y"]);
  });

  it("delivers a message once to each handler, however many of its subscriptions select it", async () => {
    const [a, b] = await pair();
    const calls: string[] = [];
    await b.subscribe("chat.lobby", (m: Message) => calls.push(`exact ${m.topic}`));
    await b.subscribe("chat.+", (m: Message) => calls.push(`plus ${m.topic}`));
    await b.subscribe("#", (m: Message) => calls.push(`all ${m.topic}`));
    const end = collect(b, "end");
    await a.publish("chat.lobby", null);
    await a.publish("end", null);
    await end;
    expect(calls.sort()).toEqual([
      "all chat.lobby",
      "all end",
      "exact chat.lobby",
      "plus chat.lobby",
    ]);
  });

  it("translates patterns to globs that select at least every MQTT match (property)", () => {
    const level = fc.stringMatching(/^[a-z*?[\]\\]{1,3}$/);
    // Our globs hold only `*` and backslash-escaped characters: enough of Redis's glob rules.
    const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const globMatches = (glob: string, text: string) =>
      new RegExp(
        `^${glob.replace(/\\([\s\S])|\*|[^\\*]+/g, (m, esc?: string) =>
          esc !== undefined ? escapeRe(esc) : m === "*" ? "[\\s\\S]*" : escapeRe(m),
        )}$`,
      ).test(text);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(level, fc.constant("+")), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.array(level, { minLength: 1, maxLength: 5 }),
        (levels, hash, topicLevels) => {
          const pattern = [...levels, ...(hash ? ["#"] : [])].join(".");
          const topic = topicLevels.join(".");
          if (topicMatches(pattern, topic))
            expect(globMatches(toRedisGlob(pattern), topic)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    expect(toRedisGlob("a*b.+.#")).toBe("a\\*b.**");
    expect(() => toRedisGlob("a.#.b")).toThrow(InvalidTopicError);
  });

  it("escapes glob characters in literal levels: a*b hears only a*b", async () => {
    const [a, b] = await pair();
    const heard: string[] = [];
    await b.subscribe("a*b.+", (m: Message) => heard.push(m.topic));
    await a.publish("axxb.1", null);
    const end = collect(b, "end");
    await a.publish("a*b.1", null);
    await a.publish("end", null);
    await end;
    expect(heard).toEqual(["a*b.1"]);
  });
});

describe("tracing across processes", () => {
  it("carries the correlation id and causation into a message published by a handler", async () => {
    const [a, b] = await pair();
    await b.subscribe("order.paid", async (m: Message) => {
      expect(currentMessage()?.id).toBe(m.id);
      await b.publish("mail.receipt", m.payload);
    });
    const receipt = collect(a, "mail.receipt");
    await a.publish("order.paid", 42, { correlationId: "req-7" });
    const [mail] = await receipt;
    expect(mail).toMatchObject({ correlationId: "req-7", depth: 1, payload: 42 });
    expect(typeof mail?.causationId).toBe("string");
  });

  it("stops a chain of handlers that keep publishing at maxDepth, with a RecursionLimitError", async () => {
    const [a, b] = await pair({ maxDepth: 3 });
    let stopped!: (value: { error: unknown; depth: number }) => void;
    const failed = new Promise<{ error: unknown; depth: number }>((resolve) => {
      stopped = resolve;
    });
    await b.subscribe("ping", async (m: Message) => {
      try {
        await b.publish("ping", null);
      } catch (error) {
        stopped({ error, depth: m.depth });
      }
    });
    await a.publish("ping", null);
    const { error, depth } = await failed;
    expect(error).toBeInstanceOf(RecursionLimitError);
    expect(depth).toBe(3);
  });
});

describe("failures", () => {
  it("reports handler failures on the error channel and still calls the other handlers", async () => {
    let report!: (error: unknown) => void;
    const reported = new Promise<unknown>((resolve) => {
      report = resolve;
    });
    const [a, b] = await pair({ onError: (e) => report(e) });
    const boom = new Error("boom");
    await b.subscribe("job", () => {
      throw boom;
    });
    await b.subscribe("job", async () => Promise.reject(undefined));
    const other = collect(b, "job");
    await a.publish("job", 1);
    await other;
    const error = (await reported) as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors.map((e: HandlerError) => e.cause)).toEqual([boom, undefined]);
    expect(error.errors.every((e: unknown) => e instanceof HandlerError)).toBe(true);
  });

  it("reports what is not our message (not JSON, not an envelope) and keeps delivering", async () => {
    const [a, b] = await pair();
    const received = collect(b, "chat.lobby");
    const raw = new Redis(redis.url);
    try {
      await raw.publish(`t${prefixes}:chat.lobby`, "not json");
      await raw.publish(`t${prefixes}:chat.lobby`, JSON.stringify({ hello: 1 }));
      await raw.publish(
        `t${prefixes}:chat.lobby`,
        JSON.stringify({
          v: 1,
          topic: "other",
          id: "x",
          correlationId: "x",
          depth: 0,
          timestamp: 0,
        }),
      );
    } finally {
      raw.disconnect();
    }
    await a.publish("chat.lobby", "good");
    expect((await received)[0]?.payload).toBe("good");
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toBeInstanceOf(MalformedMessageError);
    expect((errors as MalformedMessageError[]).map((e) => e.reason)).toEqual([
      "it is not JSON",
      "it is not a v1 envelope",
      "its topic is not its channel's",
    ]);
  });

  it("goes on delivering when onError itself throws", async () => {
    const [a, b] = await pair({
      onError: () => {
        throw new Error("bad logger");
      },
    });
    await b.subscribe("x", () => {
      throw new Error("handler");
    });
    const later = collect(b, "y");
    await a.publish("x", 1);
    await a.publish("y", 2);
    expect((await later)[0]?.payload).toBe(2);
  });

  it("refuses bad input with named errors", async () => {
    const [a] = await pair();
    await expect(a.subscribe("a..b", () => {})).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(a.subscribe("a", 42 as never)).rejects.toBeInstanceOf(TypeError);
    await expect(a.publish("a.+", 1)).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(a.publish("a", 1, { correlationId: "" })).rejects.toBeInstanceOf(TypeError);
    await expect(RedisBroker.connect(redis.url, null as never)).rejects.toBeInstanceOf(TypeError);
    await expect(RedisBroker.connect(redis.url, { maxDepth: 0 })).rejects.toBeInstanceOf(
      RangeError,
    );
  });

  it("refuses a URL that is not redis:// or rediss:// with a TypeError naming it", async () => {
    for (const url of ["localhost:6379", "http://127.0.0.1:6379", "redis://"]) {
      await expect(RedisBroker.connect(url as string)).rejects.toThrow(
        new TypeError(
          `\`url\` must be a redis://host:port or rediss://host:port URL, got ${JSON.stringify(url)}`,
        ),
      );
    }
    await expect(RedisBroker.connect(42 as never)).rejects.toThrow(
      new TypeError("`url` must be a redis://host:port or rediss://host:port URL, got 42"),
    );
    await expect(
      RedisBroker.connect(redis.url, { onConnectionChange: "yes" as never }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it("says why it cannot connect, with a RedisConnectionError that masks the password", async () => {
    const port = await freePort();
    const error = await RedisBroker.connect(`redis://user:hunter2@127.0.0.1:${port}/0`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect(error).toMatchObject({
      name: "RedisConnectionError",
      url: `redis://user:***@127.0.0.1:${port}/0`,
      message: `cannot connect to Redis at redis://user:***@127.0.0.1:${port}/0: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect((error as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("refuses to publish or subscribe once closed", async () => {
    const [a] = await pair();
    await a.close();
    await a.close();
    await expect(a.publish("a", 1)).rejects.toBeInstanceOf(BrokerClosedError);
    await expect(a.subscribe("a", () => {})).rejects.toBeInstanceOf(BrokerClosedError);
  });
});

describe("a Redis restart", () => {
  it("reconnects and resubscribes by itself: delivery resumes", async () => {
    const [a, b] = await pair();
    const heard: unknown[] = [];
    await b.subscribe("after.restart", (m: Message) => heard.push(m.payload));
    await redis.kill("SIGKILL");
    await redis.restart();
    // Messages published while the subscriber is still reconnecting are lost (at most once):
    // publish until one arrives, each publish awaiting Redis's answer (bounded, no clock).
    let sent = 0;
    while (heard.length === 0 && sent < 1_000) {
      sent++;
      if ((await a.publish("after.restart", sent).catch(() => 0)) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(heard.length).toBeGreaterThan(0);
    // Messages published while reconnecting may still be arriving: wait for this one.
    let again!: (payload: unknown) => void;
    const more = new Promise<unknown>((resolve) => {
      again = resolve;
    });
    await b.subscribe("after.restart", (m: Message) => {
      if (m.payload === "again") again(m.payload);
    });
    await a.publish("after.restart", "again");
    expect(await more).toBe("again");
  }, 30_000);

  it("tells onConnectionChange when the connection goes and when it is back, subscriptions renewed", async () => {
    const changes: boolean[] = [];
    let changed!: () => void;
    const [a, b] = await pair({
      onConnectionChange: (connected) => {
        changes.push(connected);
        changed();
      },
    });
    const heard: unknown[] = [];
    await b.subscribe("after.change", (m: Message) => heard.push(m.payload));
    const next = () =>
      new Promise<void>((resolve) => {
        changed = resolve;
      });
    // Each broker tells once per change: wait until both have.
    const twice = async () => {
      const seen = changes.length;
      while (changes.length < seen + 2) await next();
    };
    const lost = twice();
    await redis.kill("SIGKILL");
    await lost;
    expect(changes).toEqual([false, false]);
    const back = twice();
    await redis.restart();
    await back;
    expect(changes).toEqual([false, false, true, true]);
    // Told "back": the first message published now is delivered, no retrying needed.
    const arrived = new Promise<void>((resolve) => {
      void b.subscribe("after.change", () => resolve());
    });
    await a.publish("after.change", "first try");
    await arrived;
    expect(heard).toEqual(["first try"]);
  }, 30_000);
});
