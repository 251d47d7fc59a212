import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type Connection,
  InvalidTopicError,
  type Message,
  SEEN_IDS,
  type Transport,
  TransportBroker,
  toRedisGlob,
} from "./transport-broker";

// #region the in-process Redis
/**
 * Redis's glob matching (`stringmatchlen()` in Redis's util.c), case-sensitive: `*` any run of
 * characters, `?` any one, `[abc]`, `[^abc]` and `[a-z]` one of a set, `\x` the character x.
 */
function globMatches(glob: string, text: string): boolean {
  const p = [...glob];
  const t = [...text];
  const from = (start: number, at: number): boolean => {
    let i = start;
    let j = at;
    while (i < p.length) {
      const c = p[i];
      if (c === "*") {
        while (p[i + 1] === "*") i++;
        if (i + 1 === p.length) return true;
        for (let k = j; k <= t.length; k++) if (from(i + 1, k)) return true;
        return false;
      }
      if (j >= t.length) return false;
      if (c === "?") {
        i++;
        j++;
        continue;
      }
      if (c === "[") {
        let k = i + 1;
        const not = p[k] === "^";
        if (not) k++;
        let match = false;
        for (;;) {
          if (p[k] === "\\" && k + 1 < p.length) {
            k++;
            if (p[k] === t[j]) match = true;
          } else if (p[k] === "]") break;
          else if (k >= p.length) {
            k--;
            break;
          } else if (k + 2 < p.length && p[k + 1] === "-") {
            const [low, high] = [p[k] as string, p[k + 2] as string].sort();
            if ((t[j] as string) >= (low as string) && (t[j] as string) <= (high as string)) {
              match = true;
            }
            k += 2;
          } else if (p[k] === t[j]) match = true;
          k++;
        }
        if (not) match = !match;
        if (!match) return false;
        i = k + 1;
        j++;
        continue;
      }
      if (c === "\\" && i + 1 < p.length) i++;
      if (p[i] !== t[j]) return false;
      i++;
      j++;
    }
    return j === t.length;
  };
  return from(0, 0);
}

/** A Redis server in this process: connections, PSUBSCRIBE and PUBLISH, delivered at once. */
class LocalRedis implements Transport {
  readonly connections: LocalConnection[] = [];

  connect(listener: (glob: string, channel: string, data: string) => void): LocalConnection {
    const connection = new LocalConnection(this, listener);
    this.connections.push(connection);
    return connection;
  }

  /** Every connection's globs, sorted: what the server holds. */
  get globs(): string[] {
    return this.connections.flatMap((c) => [...c.globs]).sort();
  }

  /** Sends raw data on a channel from a connection of its own, as another process would. */
  send(channel: string, data: string): number {
    return this.connect(() => {}).publish(channel, data);
  }
}

class LocalConnection implements Connection {
  readonly globs = new Set<string>();

  constructor(
    readonly server: LocalRedis,
    readonly listener: (glob: string, channel: string, data: string) => void,
  ) {}

  psubscribe(glob: string): void {
    this.globs.add(glob);
  }

  punsubscribe(glob: string): void {
    this.globs.delete(glob);
  }

  publish(channel: string, data: string): number {
    let received = 0;
    for (const connection of this.server.connections) {
      for (const glob of [...connection.globs]) {
        if (globMatches(glob, channel)) {
          received++;
          connection.listener(glob, channel, data);
        }
      }
    }
    return received;
  }
}
// #endregion the in-process Redis

// #region oracles
/** Whether MQTT `pattern` matches `topic`, level by level. */
function mqttMatches(pattern: string, topic: string): boolean {
  const p = pattern.split(".");
  const t = topic.split(".");
  const from = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === "#") return true;
    if (j === t.length) return false;
    return (p[i] === "+" || p[i] === t[j]) && from(i + 1, j + 1);
  };
  return from(0, 0);
}

/**
 * The most a glob may select: the pattern's text with each `+` read as any text and a last `#`
 * as any text after its parent (`sport.#` selects `sport` and `sports`, not `news`).
 */
function withinBound(pattern: string, topic: string): boolean {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  const levels = pattern.split(".");
  const multi = levels.at(-1) === "#";
  const body = (multi ? levels.slice(0, -1) : levels)
    .map((level) => (level === "+" ? "[^]*" : literal(level)))
    .join("\\.");
  return new RegExp(`^${body}${multi ? "[^]*" : ""}$`).test(topic);
}

const isValidPattern = (pattern: string) =>
  pattern
    .split(".")
    .every(
      (level, i, levels) =>
        level !== "" &&
        (level === "+" || level === "#" || !/[+#]/.test(level)) &&
        (level !== "#" || i === levels.length - 1),
    );
const isValidTopic = (topic: string) =>
  topic.split(".").every((level) => level !== "") && !/[+#]/.test(topic);
// #endregion oracles

// #region generators
/** Levels that mean something to a glob, and ordinary ones. */
const literalLevel = fc.oneof(
  fc.constantFrom("a", "b", "ab", "*", "?", "[a]", "[", "]", "\\", "a\\", "[^a]", "[a-z]", "x*y"),
  fc.constantFrom("^", "-", "a?", "\\*", "[]", "*a", "a b", "é"),
  fc.string({ unit: fc.constantFrom(..."ab*?[]\\^-"), minLength: 1, maxLength: 4 }),
);
const topicOf = (level: fc.Arbitrary<string>) =>
  fc.array(level, { minLength: 1, maxLength: 4 }).map((levels) => levels.join("."));
const anyTopic = topicOf(literalLevel);
/** Valid patterns: literal levels, `+` anywhere, `#` last. */
const anyPattern = fc
  .tuple(
    fc.array(fc.oneof(literalLevel, fc.constant("+")), { minLength: 0, maxLength: 4 }),
    fc.boolean(),
  )
  .filter(([levels, multi]) => levels.length > 0 || multi)
  .map(([levels, multi]) => [...levels, ...(multi ? ["#"] : [])].join("."));
/** A valid pattern and a topic it matches: each `+` filled with one level, `#` with 0–2. */
const patternAndMatch = anyPattern.chain((pattern) =>
  fc
    .tuple(
      ...pattern
        .split(".")
        .map((level) =>
          level === "+"
            ? literalLevel.map((l) => [l])
            : level === "#"
              ? fc.array(literalLevel, { maxLength: 2 })
              : fc.constant([level]),
        ),
    )
    .filter((parts) => parts.flat().length > 0)
    .map((parts) => ({ pattern, topic: parts.flat().join(".") })),
);
/** Small patterns and topics over few levels, so that matches are frequent. */
const fewLevels = fc.constantFrom("a", "b", "*", "[a]");
const smallPattern = fc
  .tuple(
    fc.array(fc.oneof(fewLevels, fc.constant("+")), { minLength: 0, maxLength: 3 }),
    fc.boolean(),
  )
  .filter(([levels, multi]) => levels.length > 0 || multi)
  .map(([levels, multi]) => [...levels, ...(multi ? ["#"] : [])].join("."));
const smallTopic = topicOf(fewLevels).filter((t) => t.split(".").length <= 3);
/** Strings over the characters that make patterns and topics go wrong. */
/** Malformed patterns, and malformed topics too: one or more of each rule. */
const malformed = ["", ".", "a.", ".a", "a..b", "#.a", "a.#.b", "a+", "+a", "a#", "++", "+#", "##"];
/** Every malformed example, whatever fast-check's seed. */
const everyMalformed = { examples: malformed.map((value) => [value] as [string]) };
const anyString = fc.oneof(
  fc.constantFrom(...malformed),
  fc.string({ unit: fc.constantFrom(..."ab.+#*"), maxLength: 6 }),
);
// #endregion generators

/** What `act` threw, or undefined. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

let redis: LocalRedis;
let broker: TransportBroker;
/** What each handler received, by name. */
let received: Record<string, Message[]>;
const handler = (name: string) => (message: Message) => {
  received[name] = [...(received[name] ?? []), message];
};
const topicsOf = (name: string) => (received[name] ?? []).map((m) => m.topic);

beforeEach(() => {
  redis = new LocalRedis();
  broker = new TransportBroker(redis);
  received = {};
});

describe("toRedisGlob(): the glob for a pattern", () => {
  it("turns + into * and a last # into a * that takes its dot too", () => {
    expect(globMatches(toRedisGlob("chat.+.message"), "chat.lobby.message")).toBe(true);
    expect(globMatches(toRedisGlob("sport.#"), "sport")).toBe(true);
    expect(globMatches(toRedisGlob("sport.#"), "sport.tennis.score")).toBe(true);
    expect(globMatches(toRedisGlob("#"), "any.topic.at.all")).toBe(true);
  });

  it("selects every topic the pattern matches, for any pattern", () => {
    fc.assert(
      fc.property(patternAndMatch, ({ pattern, topic }) => {
        expect(mqttMatches(pattern, topic)).toBe(true);
        const glob = toRedisGlob(pattern);
        expect(globMatches(glob, topic), `${glob} for ${topic}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("escapes glob characters in literal levels: a pattern without wildcards selects its topic only", () => {
    fc.assert(
      fc.property(anyTopic, anyTopic, (pattern, topic) => {
        const glob = toRedisGlob(pattern);
        expect(globMatches(glob, pattern), `${glob} for ${pattern}`).toBe(true);
        expect(globMatches(glob, topic), `${glob} for ${topic}`).toBe(topic === pattern);
      }),
      { numRuns: 300 },
    );
  });

  it("over-selects only where the pattern has wildcards", () => {
    fc.assert(
      fc.property(anyPattern, anyTopic, (pattern, topic) => {
        const glob = toRedisGlob(pattern);
        if (globMatches(glob, topic)) {
          expect(withinBound(pattern, topic), `${glob} selects ${topic}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(globMatches(toRedisGlob("sport.#"), "news")).toBe(false);
    expect(globMatches(toRedisGlob("a.+"), "b.c")).toBe(false);
  });

  it("refuses exactly the malformed patterns, with an InvalidTopicError naming the pattern", () => {
    fc.assert(
      fc.property(anyString, (pattern) => {
        const error = thrownBy(() => toRedisGlob(pattern));
        if (isValidPattern(pattern)) expect(error, JSON.stringify(pattern)).toBeUndefined();
        else {
          expect(error, JSON.stringify(pattern)).toBeInstanceOf(InvalidTopicError);
          expect((error as InvalidTopicError).topic).toBe(pattern);
        }
      }),
      { numRuns: 300, ...everyMalformed },
    );
  });
});

describe("InvalidTopicError (given)", () => {
  it.each([
    ["a..b", "empty level"],
    ["a.#.b", '"#" must be the last level'],
    ["a.b+", "a wildcard must be a whole level"],
  ])("names the pattern %s and the rule it breaks", (pattern, reason) => {
    const error = thrownBy(() => broker.subscribe(pattern, handler("h")));

    expect(error).toBeInstanceOf(InvalidTopicError);
    expect((error as InvalidTopicError).name).toBe("InvalidTopicError");
    expect((error as InvalidTopicError).message).toBe(
      `invalid topic or pattern ${JSON.stringify(pattern)}: ${reason}`,
    );
  });

  it.each([
    ["a..b", "empty level"],
    ["a.+", "a wildcard in a published topic"],
  ])("names the topic %s and the rule it breaks", (topic, reason) => {
    const error = thrownBy(() => broker.publish(topic, 1));

    expect((error as InvalidTopicError).message).toBe(
      `invalid topic or pattern ${JSON.stringify(topic)}: ${reason}`,
    );
  });
});

describe("subscribe(): one glob on the server per pattern", () => {
  it("subscribes the pattern's glob on the transport", () => {
    broker.subscribe("chat.+.message", handler("h"));

    expect(redis.globs).toEqual(["chat.*.message"]);
  });

  it("refuses a malformed pattern before subscribing anything", () => {
    fc.assert(
      fc.property(
        anyString.filter((p) => !isValidPattern(p)),
        (pattern) => {
          const error = thrownBy(() => broker.subscribe(pattern, handler("h")));
          expect(error).toBeInstanceOf(InvalidTopicError);
          expect((error as InvalidTopicError).topic).toBe(pattern);
          expect(redis.globs).toEqual([]);
        },
      ),
      everyMalformed,
    );
  });

  it("unsubscribes the glob when its last subscription leaves, and answers false the second time", () => {
    const first = broker.subscribe("chat.#", handler("first"));
    const second = broker.subscribe("chat.#", handler("second"));

    expect(first()).toBe(true);
    expect(redis.globs).toEqual(["chat*"]);
    expect(first()).toBe(false);
    expect(redis.globs).toEqual(["chat*"]);
    expect(second()).toBe(true);
    expect(redis.globs).toEqual([]);
    expect(second()).toBe(false);
  });

  it("keeps a glob that another pattern still needs: + and # are both *", () => {
    const one = broker.subscribe("+", handler("one"));
    broker.subscribe("#", handler("all"));

    one();
    broker.publish("a.b", 1);
    broker.publish("a", 2);

    expect(topicsOf("all")).toEqual(["a.b", "a"]);
    expect(topicsOf("one")).toEqual([]);
    expect(redis.globs).toEqual(["*"]);
  });

  it("can subscribe again after the last subscription left", () => {
    broker.subscribe("chat.+", handler("first"))();
    broker.subscribe("chat.+", handler("again"));

    broker.publish("chat.lobby", 1);

    expect(topicsOf("again")).toEqual(["chat.lobby"]);
    expect(redis.globs).toEqual(["chat.*"]);
  });
});

describe("delivery: the glob over-selects, the broker filters again", () => {
  it("does not hand a handler what only its glob selected", () => {
    broker.subscribe("chat.+", handler("rooms"));
    broker.subscribe("sport.#", handler("sport"));

    broker.publish("chat.lobby.typing", 1);
    broker.publish("sports", 2);
    broker.publish("chat.lobby", 3);
    broker.publish("sport", 4);

    expect(topicsOf("rooms")).toEqual(["chat.lobby"]);
    expect(topicsOf("sport")).toEqual(["sport"]);
  });

  it("hands each handler exactly the messages its pattern matches, once each, for any patterns", () => {
    fc.assert(
      fc.property(
        fc.array(smallPattern, { minLength: 1, maxLength: 4 }),
        fc.array(smallTopic, { minLength: 1, maxLength: 6 }),
        (patterns, topics) => {
          const server = new LocalRedis();
          const subscriber = new TransportBroker(server);
          const publisher = new TransportBroker(server);
          const got = patterns.map(() => [] as string[]);
          patterns.forEach((pattern, i) => {
            subscriber.subscribe(pattern, (m) => got[i]?.push(m.topic));
          });

          for (const topic of topics) publisher.publish(topic, null);

          patterns.forEach((pattern, i) => {
            expect(got[i], pattern).toEqual(topics.filter((t) => mqttMatches(pattern, t)));
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("delivers a message selected by two globs once to each matching handler", () => {
    broker.subscribe("chat.+", handler("rooms"));
    broker.subscribe("chat.#", handler("everything"));

    broker.publish("chat.lobby", "hi");

    expect(topicsOf("rooms")).toEqual(["chat.lobby"]);
    expect(topicsOf("everything")).toEqual(["chat.lobby"]);
  });

  it("calls a handler once per subscription: subscribed twice, twice", () => {
    const twice = handler("twice");
    broker.subscribe("chat.+", twice);
    broker.subscribe("chat.#", twice);

    broker.publish("chat.lobby", "hi");

    expect(topicsOf("twice")).toEqual(["chat.lobby", "chat.lobby"]);
  });

  it("carries topic and payload, with an id, to brokers on other connections", () => {
    const other = new TransportBroker(redis);
    other.subscribe("order.placed", handler("billing"));

    const count = broker.publish("order.placed", { id: 7, total: 42 });

    expect(count).toBe(1);
    const [message] = received.billing ?? [];
    expect(message).toEqual({
      id: expect.any(String),
      topic: "order.placed",
      payload: { id: 7, total: 42 },
    });
    expect(message?.id).not.toBe("");
  });

  it("stops delivering to a handler that unsubscribed, and still delivers to the others", () => {
    const stop = broker.subscribe("chat.#", handler("left"));
    broker.subscribe("chat.#", handler("stayed"));
    broker.publish("chat.lobby", 1);

    stop();
    broker.publish("chat.lobby", 2);

    expect((received.left ?? []).map((m) => m.payload)).toEqual([1]);
    expect((received.stayed ?? []).map((m) => m.payload)).toEqual([1, 2]);
  });

  it("skips a handler unsubscribed by an earlier handler of the same message", () => {
    let stopSecond = () => false;
    broker.subscribe("chat.+", () => stopSecond());
    stopSecond = broker.subscribe("chat.+", handler("second"));

    broker.publish("chat.lobby", 1);
    broker.publish("chat.lobby", 2);

    expect(received.second ?? []).toEqual([]);
  });

  it("refuses to publish on a malformed topic, and sends nothing", () => {
    broker.subscribe("#", handler("all"));
    fc.assert(
      fc.property(
        anyString.filter((t) => !isValidTopic(t)),
        (topic) => {
          const error = thrownBy(() => broker.publish(topic, 1));
          expect(error).toBeInstanceOf(InvalidTopicError);
          expect((error as InvalidTopicError).topic).toBe(topic);
        },
      ),
      everyMalformed,
    );
    expect(received.all ?? []).toEqual([]);
  });
});

describe("message ids: each message handled once", () => {
  const envelope = (id: string, payload: unknown) =>
    JSON.stringify({ id, topic: "chat.lobby", payload });

  it("gives every message its own id, so two equal messages both arrive", () => {
    broker.subscribe("chat.lobby", handler("h"));

    broker.publish("chat.lobby", "same");
    broker.publish("chat.lobby", "same");

    const ids = (received.h ?? []).map((m) => m.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it("gives ids that differ between brokers, as two processes would be", () => {
    const left = new TransportBroker(redis);
    const right = new TransportBroker(redis);
    broker.subscribe("chat.lobby", handler("h"));

    for (let i = 0; i < 3; i++) {
      left.publish("chat.lobby", `left ${i}`);
      right.publish("chat.lobby", `right ${i}`);
    }

    expect((received.h ?? []).map((m) => m.payload)).toEqual([
      "left 0",
      "right 0",
      "left 1",
      "right 1",
      "left 2",
      "right 2",
    ]);
  });

  it("drops a message whose id it has already received, and takes the next new one", () => {
    broker.subscribe("chat.+", handler("h"));

    redis.send("chat.lobby", envelope("m1", "first"));
    redis.send("chat.lobby", envelope("m1", "again"));
    redis.send("chat.lobby", envelope("m2", "second"));
    redis.send("chat.lobby", envelope("m2", "again"));

    expect(received.h).toEqual([
      { id: "m1", topic: "chat.lobby", payload: "first" },
      { id: "m2", topic: "chat.lobby", payload: "second" },
    ]);
  });

  it(`remembers the last ${SEEN_IDS} ids, not more`, () => {
    broker.subscribe("chat.lobby", handler("h"));
    redis.send("chat.lobby", envelope("old", 0));
    for (let i = 1; i < SEEN_IDS; i++) redis.send("chat.lobby", envelope(`id ${i}`, i));

    redis.send("chat.lobby", envelope("old", "still remembered"));
    expect(received.h).toHaveLength(SEEN_IDS);

    redis.send("chat.lobby", envelope(`id ${SEEN_IDS}`, SEEN_IDS));
    redis.send("chat.lobby", envelope("old", "forgotten"));
    expect(received.h).toHaveLength(SEEN_IDS + 2);
    expect(received.h?.at(-1)?.payload).toBe("forgotten");
    redis.send("chat.lobby", envelope(`id ${SEEN_IDS}`, "still remembered"));
    expect(received.h).toHaveLength(SEEN_IDS + 2);
  });
});
