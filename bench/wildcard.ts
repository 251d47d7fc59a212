/**
 * The wildcard cases: publish on one topic among `count` wildcard subscriptions, exactly one of
 * which matches it. Every contender matches and delivers: finds the matching handlers, then
 * calls each with a message object (`{ topic, payload }`), as a broker built on it would. Ours
 * twice: the whole `Broker.publish()` (a frozen message with an id, a timestamp and a trace
 * context, then delivery with its exception isolation) and its `TopicTrie.match()` alone, with
 * the same plain delivery as qlobber and the naive scan.
 *
 * @module
 */
import { Qlobber } from "qlobber";
import { bench, describe } from "vitest";
import { Broker, TopicTrie } from "../patterns/pubsub/index";
import { BENCH_OPTIONS, checked, expectSame, OURS, observers, speedCase } from "./cases";
import { NaiveMatcher } from "./naive-matcher";

type Handler = (value: number) => void;
/** What the matchers deliver: the least a message can be. */
type Delivered = { readonly topic: string; readonly payload: number };
type Receiver = (message: Delivered) => void;

/**
 * The `i`-th subscription pattern: four shapes in turn, every one with a wildcard and its own
 * device or site, as an IoT back end's per-device subscriptions would be.
 */
export function wildcardPattern(i: number): string {
  switch (i % 4) {
    case 0:
      return `site${i}.+.temperature`;
    case 1:
      return `site${i}.#`;
    case 2:
      return `+.device${i}.status`;
    default:
      return `site${i}.+.+.alarm`;
  }
}

/** A topic that exactly one of the first `count` patterns matches: one in the middle. */
export function matchingTopic(count: number): string {
  const k = Math.floor(count / 8) * 4; // a multiple of 4 (the first shape), about count / 2
  return `site${k}.kitchen.temperature`;
}

/** Publish one message on a topic that 1 of `count` wildcard subscriptions matches. */
export function publishSuite(count: number): void {
  const { id, opsPerCall: n } = speedCase(`publish-${count}`);
  const topic = matchingTopic(count);

  const broker = new Broker<Record<string, number>>();
  const trie = new TopicTrie<Receiver>();
  const qlobber = new Qlobber<Receiver>({
    separator: ".",
    wildcard_one: "+",
    wildcard_some: "#",
    match_empty_levels: true,
  });
  const naive = new NaiveMatcher<Receiver>();
  // Handlers of its own for each contender, as in the other cases.
  const [forBroker, forTrie, forQlobber, forNaive] = [1, 2, 3, 4].map(() => observers(count));
  for (let i = 0; i < count; i++) {
    const pattern = wildcardPattern(i);
    const [b, t, q, v] = [forBroker, forTrie, forQlobber, forNaive].map(
      (fns) => fns?.[i] as Handler,
    );
    broker.subscribe(pattern, (message) => (b as Handler)(message.payload));
    trie.add(pattern, (message) => (t as Handler)(message.payload));
    qlobber.add(pattern, (message) => (q as Handler)(message.payload));
    naive.add(pattern, (message) => (v as Handler)(message.payload));
  }
  // Same answer everywhere before anything is timed: one match, and no match one level off.
  for (const [name, match] of [
    ["TopicTrie", (t: string) => trie.match(t).length],
    ["qlobber", (t: string) => qlobber.match(t).length],
    ["naive scan", (t: string) => naive.match(t).length],
  ] as const) {
    expectSame(`${name}: matches of ${topic}`, match(topic), 1);
    expectSame(`${name}: matches of ${topic}.x`, match(`${topic}.x`), 0);
  }

  describe(id, () => {
    bench(
      `Broker.publish${OURS}`,
      checked("Broker.publish", n, () => {
        let delivered = 0;
        for (let i = 0; i < n; i++) delivered += broker.publish(topic, 1);
        expectSame("Broker.publish: deliveries", delivered, n);
      }),
      BENCH_OPTIONS,
    );
    bench(
      `TopicTrie.match${OURS}`,
      checked("TopicTrie.match", n, () => {
        for (let i = 0; i < n; i++) {
          const message: Delivered = { topic, payload: 1 };
          for (const handler of trie.match(topic)) handler(message);
        }
      }),
      BENCH_OPTIONS,
    );
    bench(
      "qlobber",
      checked("qlobber", n, () => {
        for (let i = 0; i < n; i++) {
          const message: Delivered = { topic, payload: 1 };
          for (const handler of qlobber.match(topic)) handler(message);
        }
      }),
      BENCH_OPTIONS,
    );
    bench(
      "naive scan (a RegExp per subscription)",
      checked("naive scan", n, () => {
        for (let i = 0; i < n; i++) {
          const message: Delivered = { topic, payload: 1 };
          for (const handler of naive.match(topic)) handler(message);
        }
      }),
      BENCH_OPTIONS,
    );
  });
}
