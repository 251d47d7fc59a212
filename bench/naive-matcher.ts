/**
 * The baseline the trie is measured against: what django-event-system (the source article's
 * library) does, one regular expression per subscription, every one of them tested on every
 * publish. Its cost grows with the number of subscriptions, matching or not.
 *
 * @module
 */

/** One subscription: its pattern compiled to an anchored RegExp, and its handler. */
interface Scanned<V> {
  readonly regex: RegExp;
  readonly value: V;
}

const escapeLevel = (level: string): string => level.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * An MQTT-style pattern (levels separated by `.`, `+` one level, `#` the rest, zero levels
 * included) as an anchored RegExp: `site.+.temperature` becomes `^site\.[^.]+\.temperature$`.
 */
export function patternToRegExp(pattern: string): RegExp {
  const levels = pattern.split(".");
  const rest = levels.at(-1) === "#";
  const fixed = (rest ? levels.slice(0, -1) : levels)
    .map((level) => (level === "+" ? "[^.]+" : escapeLevel(level)))
    .join("\\.");
  if (!rest) return new RegExp(`^${fixed}$`);
  return new RegExp(fixed === "" ? "^.+$" : `^${fixed}(?:\\..+)?$`);
}

/** Subscriptions in a list; `match()` tests every one of them. */
export class NaiveMatcher<V> {
  readonly #entries: Scanned<V>[] = [];

  add(pattern: string, value: V): void {
    this.#entries.push({ regex: patternToRegExp(pattern), value });
  }

  match(topic: string): V[] {
    const matched: V[] = [];
    for (const entry of this.#entries) if (entry.regex.test(topic)) matched.push(entry.value);
    return matched;
  }
}
