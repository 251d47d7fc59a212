/**
 * Topic names and subscription patterns: the syntax, its validation and a plain reference matcher.
 *
 * Topics are hierarchical, with levels separated by a dot (`model.user.created`), and patterns use
 * MQTT's two wildcards: `+` matches exactly one level, `#` matches any number of levels, zero
 * included, and may only be the last level. We use `.` rather than MQTT's `/` because it is what
 * NATS subjects, AMQP routing keys and PyPubSub topics use, and because `model.user.created` reads
 * like the property path it often mirrors.
 *
 * @module
 */
import { describe } from "../describe";

// #region syntax
/**
 * Separates the levels of a topic: `chat.lobby.message` has three levels.
 *
 * @example
 * ```ts
 * "chat.lobby.message".split(LEVEL_SEPARATOR); // ["chat", "lobby", "message"]
 * ```
 */
export const LEVEL_SEPARATOR = ".";

/**
 * In a pattern, a level that matches exactly one level of a topic, whatever it is.
 *
 * @example
 * ```ts
 * topicMatches(`chat.${SINGLE_LEVEL_WILDCARD}.message`, "chat.lobby.message"); // true
 * ```
 */
export const SINGLE_LEVEL_WILDCARD = "+";

/**
 * In a pattern, a last level that matches any number of levels, zero included: `chat.#` matches
 * `chat`, `chat.lobby` and `chat.lobby.message`.
 *
 * @example
 * ```ts
 * topicMatches(`chat.${MULTI_LEVEL_WILDCARD}`, "chat"); // true
 * ```
 */
export const MULTI_LEVEL_WILDCARD = "#";

/**
 * A first level that starts with this marks a system topic (`$sys.broker.uptime`), which a
 * pattern that starts with a wildcard does not match: `#` alone should not drown an application's
 * subscriber in the broker's own chatter. MQTT has the same rule for `$SYS`.
 *
 * @example
 * ```ts
 * topicMatches("#", "$sys.uptime"); // false
 * topicMatches("$sys.#", "$sys.uptime"); // true
 * ```
 */
export const SYSTEM_PREFIX = "$";

/**
 * The most levels a topic or pattern may have. Matching walks one level per step, and a trie
 * holds one node per level: a limit keeps a hostile 10 000-level pattern from costing a node per
 * level and a deep walk on every publish. MQTT has no such limit, but real topics rarely pass
 * ten levels.
 *
 * @example
 * ```ts
 * parseTopic(Array(MAX_LEVELS + 1).fill("a").join(".")); // throws InvalidTopicError
 * ```
 */
export const MAX_LEVELS = 128;
// #endregion syntax

/**
 * A topic or pattern that breaks the syntax: an empty level, a wildcard in a topic that is
 * published, a `#` that is not the last level, a wildcard sharing a level with other characters.
 * `reason` says which rule, `topic` is the offending input.
 *
 * @example
 * ```ts
 * try {
 *   parsePattern("chat.#.message");
 * } catch (error) {
 *   if (error instanceof InvalidTopicError) console.log(error.reason); // "`#` must be the last level"
 * }
 * ```
 */
export class InvalidTopicError extends Error {
  override readonly name = "InvalidTopicError";

  constructor(
    /** The topic or pattern as it was given. */
    readonly topic: string,
    /** The rule it breaks, in a few words. */
    readonly reason: string,
    /** What it was given as: `"topic"` or `"pattern"`, for the message. */
    readonly kind: "topic" | "pattern" = "topic",
  ) {
    super(`invalid ${kind} ${JSON.stringify(topic)}: ${reason}`);
  }
}

// Control characters have no business in a topic: they break logs and line-based protocols, and
// a newline would let a multiline RegExp's `^`/`$` match in the middle of one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: this is the check for them
const CONTROL = /[\u0000-\u001f\u007f]/;

function check(value: unknown, kind: "topic" | "pattern", argument: string): string[] {
  if (typeof value !== "string") {
    throw new TypeError(`\`${argument}\` must be a string, got ${describe(value)}`);
  }
  if (value === "") throw new InvalidTopicError(value, "it is empty", kind);
  if (CONTROL.test(value)) {
    throw new InvalidTopicError(value, "it contains a control character", kind);
  }
  const levels = value.split(LEVEL_SEPARATOR, MAX_LEVELS + 1);
  if (levels.length > MAX_LEVELS) {
    throw new InvalidTopicError(value, `more than ${MAX_LEVELS} levels`, kind);
  }
  // MQTT allows empty levels (`a//b`); we do not: `chat..lobby` is nearly always a typo, and a
  // subscriber of `chat.lobby` would silently never hear it.
  if (levels.includes("")) {
    throw new InvalidTopicError(
      value,
      `empty level (a leading, trailing or doubled "${LEVEL_SEPARATOR}")`,
      kind,
    );
  }
  return levels;
}

// #region validate
/**
 * Checks a topic that is published and returns its levels. A topic names one concrete place, so
 * it holds no wildcard.
 *
 * @param argument The argument's name, for the `TypeError` message.
 * @throws TypeError if `topic` is not a string.
 * @throws InvalidTopicError if it is empty, has an empty level or a control character, or
 *   contains `+` or `#`.
 *
 * @example
 * ```ts
 * parseTopic("model.user.created"); // ["model", "user", "created"]
 * parseTopic("model.+.created"); // throws InvalidTopicError: wildcards are for subscribers
 * ```
 */
export function parseTopic(topic: string, argument = "topic"): string[] {
  const levels = check(topic, "topic", argument);
  for (const level of levels) {
    if (level.includes(SINGLE_LEVEL_WILDCARD) || level.includes(MULTI_LEVEL_WILDCARD)) {
      throw new InvalidTopicError(
        topic,
        `a published topic cannot hold the wildcards "${SINGLE_LEVEL_WILDCARD}" or "${MULTI_LEVEL_WILDCARD}"`,
      );
    }
  }
  return levels;
}

/**
 * Checks a subscription pattern and returns its levels. A wildcard must be a whole level, and `#`
 * only the last one.
 *
 * @param argument The argument's name, for the `TypeError` message.
 * @throws TypeError if `pattern` is not a string.
 * @throws InvalidTopicError if it is empty, has an empty level or a control character, puts `#`
 *   anywhere but last, or mixes a wildcard with other characters in one level (`chat.lobby+`).
 *
 * @example
 * ```ts
 * parsePattern("chat.+.message"); // ["chat", "+", "message"]
 * parsePattern("chat.#.message"); // throws InvalidTopicError: `#` must be the last level
 * ```
 */
export function parsePattern(pattern: string, argument = "pattern"): string[] {
  const levels = check(pattern, "pattern", argument);
  const last = levels.length - 1;
  levels.forEach((level, i) => {
    if (level === MULTI_LEVEL_WILDCARD) {
      if (i !== last) {
        throw new InvalidTopicError(
          pattern,
          `"${MULTI_LEVEL_WILDCARD}" must be the last level`,
          "pattern",
        );
      }
    } else if (level !== SINGLE_LEVEL_WILDCARD) {
      if (level.includes(SINGLE_LEVEL_WILDCARD) || level.includes(MULTI_LEVEL_WILDCARD)) {
        throw new InvalidTopicError(
          pattern,
          `a wildcard must be a whole level, not part of "${level}"`,
          "pattern",
        );
      }
    }
  });
  return levels;
}
// #endregion validate

/**
 * Whether a pattern is a plain topic (no wildcard), which a broker can match by equality alone.
 *
 * @example
 * ```ts
 * isWildcardPattern("chat.lobby"); // false
 * isWildcardPattern("chat.+"); // true
 * ```
 */
export function isWildcardPattern(pattern: string): boolean {
  return pattern.includes(SINGLE_LEVEL_WILDCARD) || pattern.includes(MULTI_LEVEL_WILDCARD);
}

// #region reference-matcher
/**
 * Whether `pattern` matches `topic`, by MQTT's rules, one level at a time. This is the plain,
 * obviously right matcher: the trie must agree with it (the property tests check that), and it
 * is handy to filter a single topic without a broker. It validates both arguments.
 *
 * @throws InvalidTopicError if either is malformed.
 *
 * @example
 * ```ts
 * topicMatches("model.+.created", "model.user.created"); // true
 * topicMatches("model.#", "model"); // true: `#` matches the parent level too
 * topicMatches("model.+", "model.user.created"); // false: `+` is exactly one level
 * ```
 */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = parsePattern(pattern);
  const t = parseTopic(topic);
  if (t[0]?.startsWith(SYSTEM_PREFIX) && (p[0] === "+" || p[0] === "#")) return false;
  const matchFrom = (i: number): boolean => {
    if (p[i] === MULTI_LEVEL_WILDCARD) return true; // the rest of the topic, however long
    if (i === p.length || i === t.length) return i === p.length && i === t.length;
    return (p[i] === SINGLE_LEVEL_WILDCARD || p[i] === t[i]) && matchFrom(i + 1);
  };
  return matchFrom(0);
}
// #endregion reference-matcher

/**
 * A copy of `pattern` that must match a whole topic: `^(?:…)$`, without the `g` and `y` flags.
 * The group matters: `/a|b/` anchored as `^a|b$` would still match `"a…"` and `"…b"`. And a
 * `g` or `y` RegExp keeps `lastIndex` between `test()` calls, so every other publish would miss.
 *
 * @throws TypeError if `pattern` is not a RegExp.
 *
 * @example
 * ```ts
 * const updated = anchored(/event\.assets\.updated\.\w+/);
 * updated.test("event.assets.updated.image"); // true
 * updated.test("audit.event.assets.updated.image"); // false: no substring matches
 * ```
 */
export function anchored(pattern: RegExp): RegExp {
  if (!(pattern instanceof RegExp)) {
    throw new TypeError(`\`pattern\` must be a RegExp, got ${describe(pattern)}`);
  }
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ""));
}

export { describe };
