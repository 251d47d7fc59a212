// Mistake: the copy keeps every flag, `g` and `y` included. Such a RegExp remembers `lastIndex`
// after a successful test() and starts the next test() there: every other publish misses.
// Caught by "gives the same answer every time, even for a g or y RegExp".
export { InvalidTopicError, TopicTrie } from "../topic-trie";

export function anchored(pattern: RegExp): RegExp {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags);
}
