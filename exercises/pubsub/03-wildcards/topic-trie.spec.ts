import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { anchored, InvalidTopicError, TopicTrie } from "./topic-trie";

let trie: TopicTrie<string>;

beforeEach(() => {
  trie = new TopicTrie<string>();
});

/** The values matching `topic`, sorted: the spec does not fix an order between patterns. */
const matching = (topic: string) => trie.match(topic).sort();

/** What the README says about a pattern, written plainly: the oracle the properties check. */
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
/** Whether `pattern` matches `topic`, level by level. */
function matches(pattern: string, topic: string): boolean {
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
/** What `act` threw, or undefined. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

const levelOf = (...levels: string[]) => fc.constantFrom(...levels);
const joined = (level: fc.Arbitrary<string>) =>
  fc.array(level, { minLength: 1, maxLength: 4 }).map((levels) => levels.join("."));
const anyPattern = fc.oneof(
  joined(levelOf("a", "b", "ab", "+", "#", "", "+a", "a+", "#a", "a#", "++", "+#", "a b", "*")),
  fc.string({ unit: fc.constantFrom(..."ab.+# "), maxLength: 8 }),
);
const validPattern = joined(levelOf("a", "b", "ab", "+", "+", "#")).filter(isValidPattern);
const validTopic = joined(levelOf("a", "b", "ab"));

describe("exact patterns", () => {
  it("match their own topic and nothing longer, shorter or similar", () => {
    trie.add("chat.lobby", "lobby");

    expect(matching("chat.lobby")).toEqual(["lobby"]);
    expect(matching("chat")).toEqual([]);
    expect(matching("chat.lobby.message")).toEqual([]);
    expect(matching("chat.lobby2")).toEqual([]);
  });

  it("share the nodes of their common levels", () => {
    trie.add("chat.lobby", "a");
    trie.add("chat.random", "b");

    expect(trie.nodeCount).toBe(4); // the root, "chat", "lobby", "random"
  });
});

describe("the + wildcard", () => {
  it("matches exactly one level, whatever it is", () => {
    trie.add("chat.+", "any room");

    expect(matching("chat.lobby")).toEqual(["any room"]);
    expect(matching("chat.random")).toEqual(["any room"]);
    expect(matching("chat")).toEqual([]);
    expect(matching("chat.lobby.message")).toEqual([]);
  });

  it("matches one level at the start of a pattern too", () => {
    trie.add("+.lobby", "any-lobby");

    expect(matching("chat.lobby")).toEqual(["any-lobby"]);
    expect(matching("lobby")).toEqual([]);
    expect(matching("chat.lobby.x")).toEqual([]);
  });

  it("works in the middle of a pattern, and several times", () => {
    trie.add("chat.+.message", "messages");
    trie.add("+.+.message", "two levels");

    expect(matching("chat.lobby.message")).toEqual(["messages", "two levels"]);
    expect(matching("mail.inbox.message")).toEqual(["two levels"]);
    expect(matching("chat.lobby.presence")).toEqual([]);
  });
});

describe("the # wildcard", () => {
  it("matches any number of levels below its parent", () => {
    trie.add("sport.tennis.#", "tennis");

    expect(matching("sport.tennis.player1")).toEqual(["tennis"]);
    expect(matching("sport.tennis.player1.ranking")).toEqual(["tennis"]);
    expect(matching("sport.football.score")).toEqual([]);
  });

  it("matches the parent level itself (zero levels)", () => {
    trie.add("sport.tennis.#", "tennis");

    expect(matching("sport.tennis")).toEqual(["tennis"]);
    expect(matching("sport")).toEqual([]);
  });

  it("alone matches every topic", () => {
    trie.add("#", "everything");

    expect(matching("a")).toEqual(["everything"]);
    expect(matching("a.b.c.d")).toEqual(["everything"]);
  });

  it("combines with + and exact patterns: every match is returned once", () => {
    trie.add("sport.#", "sport");
    trie.add("sport.+.score", "scores");
    trie.add("sport.tennis.score", "tennis score");
    trie.add("#", "all");

    expect(matching("sport.tennis.score")).toEqual(["all", "scores", "sport", "tennis score"]);
  });
});

describe("matching, for any patterns and topic", () => {
  it("returns exactly the values of the patterns that match, by the rules above", () => {
    fc.assert(
      fc.property(fc.array(validPattern, { maxLength: 6 }), validTopic, (patterns, topic) => {
        const subject = new TopicTrie<number>();
        patterns.forEach((pattern, i) => {
          subject.add(pattern, i);
        });

        const expected = patterns.flatMap((pattern, i) => (matches(pattern, topic) ? [i] : []));
        expect(subject.match(topic).sort((a, b) => a - b)).toEqual(expected);

        patterns.forEach((pattern, i) => {
          expect(subject.delete(pattern, i)).toBe(true);
        });
        expect(subject.match(topic)).toEqual([]);
        expect(subject.nodeCount).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it("returns a value stored under two matching patterns once for each", () => {
    trie.add("chat.+", "logger");
    trie.add("chat.#", "logger");
    trie.add("chat.lobby", "lobby");

    expect(matching("chat.lobby")).toEqual(["lobby", "logger", "logger"]);
  });

  it("returns a value stored twice under one pattern twice, and once after one delete", () => {
    trie.add("chat.#", "logger");
    trie.add("chat.#", "logger");

    expect(matching("chat.lobby")).toEqual(["logger", "logger"]);
    expect(trie.delete("chat.#", "logger")).toBe(true);
    expect(matching("chat.lobby")).toEqual(["logger"]);
  });

  it("treats spaces and other punctuation as ordinary characters of a level", () => {
    trie.add("chat.my lobby", "spaced");
    trie.add("a/b.*", "slashed");

    expect(matching("chat.my lobby")).toEqual(["spaced"]);
    expect(matching("chat.my")).toEqual([]);
    expect(matching("a/b.*")).toEqual(["slashed"]);
    expect(matching("a/b.x")).toEqual([]);
  });
});

describe("invalid patterns and topics", () => {
  it("refuse exactly the patterns the rules refuse, naming the whole pattern", () => {
    fc.assert(
      fc.property(anyPattern, (pattern) => {
        const subject = new TopicTrie<string>();
        const error = thrownBy(() => subject.add(pattern, "x"));
        if (isValidPattern(pattern)) {
          expect(error, JSON.stringify(pattern)).toBeUndefined();
        } else {
          expect(error, JSON.stringify(pattern)).toBeInstanceOf(InvalidTopicError);
          expect((error as InvalidTopicError).topic).toBe(pattern);
          expect(subject.nodeCount).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuse exactly the topics the rules refuse when matching", () => {
    fc.assert(
      fc.property(anyPattern, (topic) => {
        const subject = new TopicTrie<string>();
        subject.add("#", "everything");
        const error = thrownBy(() => subject.match(topic));
        if (isValidTopic(topic)) expect(error, JSON.stringify(topic)).toBeUndefined();
        else {
          expect(error, JSON.stringify(topic)).toBeInstanceOf(InvalidTopicError);
          expect((error as InvalidTopicError).topic).toBe(topic);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    "+room",
    "room+",
    "ro+om",
    "x.+room",
    "x.room+",
    "x.ro+om.y",
    "#room",
    "x.room#",
    "x.ro#om",
    "++",
    "+#",
    "#+",
    "##",
    "x.##",
  ])("refuse %s: a wildcard shares its level", (pattern) => {
    const error = thrownBy(() => trie.add(pattern, "x"));

    expect(error).toBeInstanceOf(InvalidTopicError);
    expect(trie.nodeCount).toBe(1);
  });

  it("refuse a malformed pattern in delete() too", () => {
    expect(thrownBy(() => trie.delete("sport.#.score", "x"))).toBeInstanceOf(InvalidTopicError);
    expect(thrownBy(() => trie.delete("chat..lobby", "x"))).toBeInstanceOf(InvalidTopicError);
  });

  it("refuse # anywhere but the last level", () => {
    expect(() => trie.add("sport.#.score", "x")).toThrow(InvalidTopicError);
    expect(() => trie.add("#.score", "x")).toThrow(/"#\.score"/);
  });

  it("refuse a wildcard that shares its level with other characters", () => {
    expect(() => trie.add("sport.tennis#", "x")).toThrow(InvalidTopicError);
    expect(() => trie.add("chat.room+", "x")).toThrow(InvalidTopicError);
  });

  it("refuse empty levels: leading, trailing or doubled dots, and the empty string", () => {
    for (const bad of ["", ".chat", "chat.", "chat..lobby"]) {
      expect(() => trie.add(bad, "x"), JSON.stringify(bad)).toThrow(InvalidTopicError);
      expect(() => trie.match(bad), JSON.stringify(bad)).toThrow(InvalidTopicError);
    }
  });

  it("refuse wildcards in a published topic", () => {
    trie.add("#", "everything");

    expect(() => trie.match("chat.+")).toThrow(InvalidTopicError);
    expect(() => trie.match("chat.#")).toThrow(InvalidTopicError);
  });
});

describe("delete()", () => {
  it("removes one value of a pattern and leaves the others", () => {
    trie.add("chat.+", "a");
    trie.add("chat.+", "b");

    expect(trie.delete("chat.+", "a")).toBe(true);
    expect(matching("chat.lobby")).toEqual(["b"]);
  });

  it("returns false for a value or pattern that is not there", () => {
    trie.add("chat.+", "a");

    expect(trie.delete("chat.+", "b")).toBe(false);
    expect(trie.delete("chat.#", "a")).toBe(false);
    expect(trie.delete("mail.+", "a")).toBe(false);
  });

  it("prunes the nodes it leaves empty, back to the root alone", () => {
    trie.add("chat.lobby.message", "a");
    trie.add("chat.lobby", "b");

    trie.delete("chat.lobby.message", "a");
    expect(trie.nodeCount).toBe(3); // "chat.lobby" still needs the root, "chat", "lobby"

    trie.delete("chat.lobby", "b");
    expect(trie.nodeCount).toBe(1);
  });

  it("deletes a value of a # pattern, and prunes its node", () => {
    trie.add("sport.#", "fan");
    trie.add("#", "everything");

    expect(trie.delete("sport.#", "fan")).toBe(true);
    expect(matching("sport.tennis")).toEqual(["everything"]);
    expect(matching("sport")).toEqual(["everything"]);
    expect(trie.nodeCount).toBe(2); // the root and "#"

    expect(trie.delete("#", "everything")).toBe(true);
    expect(trie.delete("#", "everything")).toBe(false);
    expect(matching("sport")).toEqual([]);
    expect(trie.nodeCount).toBe(1);
  });

  it("keeps a pattern's node while another value or a longer pattern needs it", () => {
    trie.add("chat.+", "a");
    trie.add("chat.+", "b");
    trie.add("chat.+.x", "c");

    trie.delete("chat.+", "a");
    trie.delete("chat.+", "b");

    expect(trie.nodeCount).toBe(4); // the root, "chat", "+", "x"
    expect(matching("chat.lobby.x")).toEqual(["c"]);
  });

  it("keeps the trie's size flat over many subscribe/unsubscribe cycles", () => {
    for (let i = 0; i < 1000; i++) {
      trie.add(`device.${i}.+`, "x");
      trie.delete(`device.${i}.+`, "x");
    }

    expect(trie.nodeCount).toBe(1);
  });
});

describe("anchored()", () => {
  it("matches whole topics only, never a substring", () => {
    const updated = anchored(/assets\.updated\.\w+/);

    expect(updated.test("assets.updated.image")).toBe(true);
    expect(updated.test("event.assets.updated.image")).toBe(false);
    expect(updated.test("assets.updated.image.thumbnail")).toBe(false);
  });

  it("keeps alternatives inside the anchors", () => {
    const either = anchored(/user|order/);

    expect(either.test("user")).toBe(true);
    expect(either.test("order")).toBe(true);
    expect(either.test("user.deleted")).toBe(false);
    expect(either.test("reorder")).toBe(false);
  });

  it("gives the same answer every time, even for a g or y RegExp", () => {
    const sticky = anchored(/chat\.\w+/gy);

    expect([
      sticky.test("chat.lobby"),
      sticky.test("chat.lobby"),
      sticky.test("chat.lobby"),
    ]).toEqual([true, true, true]);
  });

  it("drops the m flag: ^ and $ are the ends of the topic, not of a line in it", () => {
    const lobby = anchored(/lobby/m);

    expect(lobby.test("lobby")).toBe(true);
    expect(lobby.test("evil\nlobby")).toBe(false);
    expect(lobby.test("lobby\nevil")).toBe(false);
  });

  it("matches whole topics only, and the same every time, whatever the flags", () => {
    const inputs = ["lobby", "chat", "LOBBY", "evil\nlobby", "lobby\nevil", "xlobby", "chatx"];
    for (const flags of ["", "g", "i", "m", "s", "y", "gi", "gm", "my", "gimsy", "ims"]) {
      const copy = anchored(new RegExp("lobby|chat", flags));
      const ignoreCase = flags.includes("i");
      for (const input of inputs) {
        const expected = ["lobby", "chat"].includes(ignoreCase ? input.toLowerCase() : input);
        for (let round = 0; round < 2; round++) {
          expect(copy.test(input), `${flags} ${JSON.stringify(input)}`).toBe(expected);
        }
      }
    }
  });

  it("keeps the other flags and leaves the original RegExp alone", () => {
    const original = /CHAT\.\w+/i;
    const copy = anchored(original);

    expect(copy.test("chat.lobby")).toBe(true);
    expect(copy).not.toBe(original);
    expect(original.test("archive.chat.lobby")).toBe(true);
  });
});

describe("the error a refused pattern or topic is reported as", () => {
  it("is named InvalidTopicError", () => {
    trie.add("chat.+", "ok");
    expect(trie.match("chat.x")).toEqual(["ok"]);
    for (const refused of [
      () => trie.add("a.#.b", "x"),
      () => trie.add("a..b", "x"),
      () => trie.match("a.+"),
    ]) {
      expect((thrownBy(refused) as Error).name).toBe("InvalidTopicError");
    }
  });
});
