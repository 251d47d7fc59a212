// Mistake: anchored() copies the RegExp without anchors, so `/assets\.updated\.\w+/` also
// matches `event.assets.updated.image`: django-event-system's substring trap.
// Caught by "matches whole topics only, never a substring".
export { InvalidTopicError, TopicTrie } from "../topic-trie";

export function anchored(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gmy]/g, ""));
}
