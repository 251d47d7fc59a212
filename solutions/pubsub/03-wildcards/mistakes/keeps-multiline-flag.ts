// Mistake: anchored() drops g and y but keeps m, under which ^ and $ match at every line break:
// `/lobby/m` then matches "evil\nlobby". Caught by "drops the m flag: ^ and $ are the ends of the
// topic, not of a line in it".
// Hint: with the m flag, ^ and $ anchor lines, not the whole string.
export { InvalidTopicError, TopicTrie } from "../topic-trie";

export function anchored(pattern: RegExp): RegExp {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ""));
}
