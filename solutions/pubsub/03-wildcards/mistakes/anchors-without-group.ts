// Mistake: `^${source}$` without a group: `/user|order/` becomes `^user|order$`, which reads as
// "starts with user, or ends with order", so `user.deleted` and `reorder` both match.
// Caught by "keeps alternatives inside the anchors".
export { InvalidTopicError, TopicTrie } from "../topic-trie";

export function anchored(pattern: RegExp): RegExp {
  return new RegExp(`^${pattern.source}$`, pattern.flags.replace(/[gmy]/g, ""));
}
