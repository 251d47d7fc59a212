import { beforeEach, describe, expect, it } from "vitest";
import { anchored, InvalidTopicError, TopicTrie } from "./topic-trie";

let trie: TopicTrie<string>;

beforeEach(() => {
  trie = new TopicTrie<string>();
});

/** The values matching `topic`, sorted: the spec does not fix an order between patterns. */
const matching = (topic: string) => trie.match(topic).sort();

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

describe("invalid patterns and topics", () => {
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

  it("keeps the other flags and leaves the original RegExp alone", () => {
    const original = /CHAT\.\w+/i;
    const copy = anchored(original);

    expect(copy.test("chat.lobby")).toBe(true);
    expect(copy).not.toBe(original);
    expect(original.test("archive.chat.lobby")).toBe(true);
  });
});
