import { describe, expect, it } from "vitest";
import {
  anchored,
  InvalidTopicError,
  isWildcardPattern,
  parsePattern,
  parseTopic,
  topicMatches,
} from "./topics";

describe("parseTopic()", () => {
  it("splits a topic into its levels", () => {
    expect(parseTopic("model.user.created")).toEqual(["model", "user", "created"]);
    expect(parseTopic("single")).toEqual(["single"]);
  });

  it("accepts any characters in a level but the separator, wildcards and control characters", () => {
    expect(parseTopic("héllo wörld.$sys.a-b_c:d/e")).toEqual(["héllo wörld", "$sys", "a-b_c:d/e"]);
  });

  it.each([
    ["", "it is empty"],
    [".chat", "empty level"],
    ["chat.", "empty level"],
    ["chat..lobby", "empty level"],
    ["chat.+", "wildcards"],
    ["chat.#", "wildcards"],
    ["chat.lobby+", "wildcards"],
    ["chat\nlobby", "control character"],
    ["chat\u0000", "control character"],
  ])("refuses %j with an InvalidTopicError (%s)", (topic, reason) => {
    expect(() => parseTopic(topic)).toThrow(InvalidTopicError);
    expect(() => parseTopic(topic)).toThrow(reason);
  });

  it("names the topic, the rule and the kind in the error", () => {
    const error = (() => {
      try {
        parseTopic("chat..lobby");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({
      name: "InvalidTopicError",
      topic: "chat..lobby",
      kind: "topic",
      message: expect.stringContaining('invalid topic "chat..lobby"'),
    });
  });

  it("calls a published topic with a wildcard a topic in the error", () => {
    expect(() => parseTopic("chat.+")).toThrow(
      expect.objectContaining({
        kind: "topic",
        message: expect.stringMatching(/^invalid topic "chat\.\+": /),
      }),
    );
  });

  it("refuses a non-string with a TypeError naming the argument", () => {
    expect(() => parseTopic(42 as never)).toThrow(
      new TypeError("`topic` must be a string, got 42"),
    );
    expect(() => parseTopic(undefined as never, "name")).toThrow(/`name` must be a string/);
  });
});

describe("parsePattern()", () => {
  it("accepts whole-level wildcards, # only last", () => {
    expect(parsePattern("chat.+.message")).toEqual(["chat", "+", "message"]);
    expect(parsePattern("chat.#")).toEqual(["chat", "#"]);
    expect(parsePattern("#")).toEqual(["#"]);
    expect(parsePattern("+")).toEqual(["+"]);
    expect(parsePattern("+.+.#")).toEqual(["+", "+", "#"]);
  });

  it.each([
    ["chat.#.message", "must be the last level"],
    ["#.#", "must be the last level"],
    ["chat.lobby#", "whole level"],
    ["chat.+lobby", "whole level"],
    ["chat.++", "whole level"],
    ["", "empty"],
    ["chat..#", "empty level"],
  ])("refuses %j with an InvalidTopicError (%s)", (pattern, reason) => {
    expect(() => parsePattern(pattern)).toThrow(InvalidTopicError);
    expect(() => parsePattern(pattern)).toThrow(reason);
  });

  it("calls itself a pattern in the error", () => {
    expect(() => parsePattern("a.#.b")).toThrow('invalid pattern "a.#.b"');
    expect(() => parsePattern("chat..x")).toThrow('invalid pattern "chat..x"');
    expect(() => parsePattern("chat.lobby#")).toThrow('invalid pattern "chat.lobby#"');
  });
});

describe("isWildcardPattern()", () => {
  it("tells plain topics from wildcard patterns", () => {
    expect(isWildcardPattern("chat.lobby")).toBe(false);
    expect(isWildcardPattern("chat.+")).toBe(true);
    expect(isWildcardPattern("#")).toBe(true);
  });
});

describe("topicMatches(): MQTT's rules", () => {
  it.each([
    ["sport.tennis.player1", "sport.tennis.player1", true],
    ["sport.tennis.player1", "sport.tennis.player2", false],
    ["sport.tennis.player1.#", "sport.tennis.player1", true],
    ["sport.tennis.player1.#", "sport.tennis.player1.ranking", true],
    ["sport.tennis.player1.#", "sport.tennis.player1.score.wimbledon", true],
    ["sport.#", "sport", true],
    ["#", "sport.tennis", true],
    ["sport.tennis.+", "sport.tennis.player1", true],
    ["sport.tennis.+", "sport.tennis.player1.tournament", false],
    ["sport.tennis.+", "sport.tennis", false],
    ["sport.+", "sport", false],
    ["+.+", "sport.tennis", true],
    ["+.tennis.#", "sport.tennis.player1", true],
    ["+", "sport", true],
    ["+", "sport.tennis", false],
    ["sport.+.player1", "sport.tennis.player1", true],
    ["sport.#", "sports", false],
  ])("%j matches %j: %s", (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it("keeps system topics ($…) away from patterns that start with a wildcard", () => {
    expect(topicMatches("#", "$sys.uptime")).toBe(false);
    expect(topicMatches("+.uptime", "$sys.uptime")).toBe(false);
    expect(topicMatches("$sys.#", "$sys.uptime")).toBe(true);
    expect(topicMatches("$sys.+", "$sys.uptime")).toBe(true);
    expect(topicMatches("a.#", "a.$b")).toBe(true);
  });

  it("validates both arguments", () => {
    expect(() => topicMatches("a.#.b", "a.b")).toThrow(InvalidTopicError);
    expect(() => topicMatches("a.+", "a.+")).toThrow(InvalidTopicError);
  });
});

describe("anchored()", () => {
  it("matches whole topics only", () => {
    const updated = anchored(/event\.assets\.updated\.\w+/);
    expect(updated.test("event.assets.updated.image")).toBe(true);
    expect(updated.test("audit.event.assets.updated.image")).toBe(false);
    expect(updated.test("event.assets.updated.image.thumb")).toBe(false);
  });

  it("keeps alternatives inside the anchors", () => {
    const either = anchored(/user|order/);
    expect(["user", "order", "user.x", "reorder"].map((t) => either.test(t))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("drops g and y, keeps the other flags", () => {
    const copy = anchored(/chat\.\w+/giy);
    expect(copy.flags).toBe("i");
    expect([copy.test("CHAT.x"), copy.test("CHAT.x")]).toEqual([true, true]);
  });

  it("refuses anything but a RegExp with a TypeError", () => {
    expect(() => anchored("chat.*" as never)).toThrow(/`pattern` must be a RegExp/);
  });
});
