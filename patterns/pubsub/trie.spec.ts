import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { garbageCollector } from "../../kata/spec-helpers";
import { InvalidTopicError, topicMatches } from "./topics";
import { TopicTrie } from "./trie";

describe("TopicTrie", () => {
  it("returns matches in walk order without a compare function, insertion order within a pattern", () => {
    const trie = new TopicTrie<string>();
    trie.add("sensor.+.temperature", "thermostat");
    trie.add("sensor.#", "logger");
    trie.add("sensor.kitchen.temperature", "kitchen");
    trie.add("sensor.#", "archive");

    expect(trie.match("sensor.kitchen.temperature")).toEqual([
      "logger",
      "archive",
      "kitchen",
      "thermostat",
    ]);
  });

  it("merges the matches in compare order; ties between patterns keep walk order", () => {
    type Sub = { name: string; priority: number };
    const trie = new TopicTrie<Sub>((a, b) => b.priority - a.priority);
    trie.add("a.#", { name: "low", priority: 0 });
    trie.add("a.b", { name: "high", priority: 5 });
    trie.add("a.+", { name: "mid-1", priority: 1 });
    trie.add("a.b", { name: "mid-2", priority: 1 });

    // A broker that wants subscription order across patterns compares a sequence number too.
    expect(trie.match("a.b").map((s) => s.name)).toEqual(["high", "mid-2", "mid-1", "low"]);
  });

  it("keeps values sorted within a pattern as they are added", () => {
    const trie = new TopicTrie<number>((a, b) => b - a);
    for (const n of [1, 5, 3, 5, 0]) trie.add("t", n);

    expect(trie.match("t")).toEqual([5, 5, 3, 1, 0]);
  });

  it("keeps values that compare equal in the order they were added", () => {
    type Sub = { name: string; priority: number };
    const trie = new TopicTrie<Sub>((a, b) => b.priority - a.priority);
    for (const name of ["first", "second", "third"]) trie.add("t", { name, priority: 0 });

    expect(trie.match("t").map((s) => s.name)).toEqual(["first", "second", "third"]);
  });

  it("stores a value twice if added twice, and deletes one occurrence at a time", () => {
    const trie = new TopicTrie<string>();
    trie.add("t", "x");
    trie.add("t", "x");
    expect(trie.match("t")).toEqual(["x", "x"]);
    expect(trie.size).toBe(2);

    expect(trie.delete("t", "x")).toBe(true);
    expect(trie.match("t")).toEqual(["x"]);
  });

  it("returns a new array: changing the trie does not change a match already returned", () => {
    const trie = new TopicTrie<string>();
    trie.add("t", "a");
    const first = trie.match("t");
    trie.add("t", "b");
    trie.delete("t", "a");

    expect(first).toEqual(["a"]);
  });

  it("counts values and nodes, and prunes back to the root", () => {
    const trie = new TopicTrie<number>();
    trie.add("a.b.c", 1);
    trie.add("a.b", 2);
    trie.add("a.+.#", 3);
    expect([trie.size, trie.nodeCount]).toEqual([3, 6]);

    trie.delete("a.b.c", 1);
    expect(trie.nodeCount).toBe(5);
    trie.delete("a.+.#", 3);
    trie.delete("a.b", 2);
    expect([trie.size, trie.nodeCount]).toEqual([0, 1]);
  });

  it("does nothing for a pattern or value it does not hold", () => {
    const trie = new TopicTrie<number>();
    trie.add("a.b", 1);

    expect(trie.delete("a.b", 2)).toBe(false);
    expect(trie.delete("a.c", 1)).toBe(false);
    expect(trie.delete("a", 1)).toBe(false);
    expect(trie.delete("a.b.c", 1)).toBe(false);
    expect(trie.nodeCount).toBe(3);
  });

  it("lists every value and clears", () => {
    const trie = new TopicTrie<number>();
    trie.add("a", 1);
    trie.add("a.b", 2);
    trie.add("#", 3);
    expect([...trie.values()].sort()).toEqual([1, 2, 3]);

    trie.clear();
    expect([trie.size, trie.nodeCount, trie.match("a")]).toEqual([0, 1, []]);
  });

  it("lists values depth first, sibling patterns in the order they were first added", () => {
    const trie = new TopicTrie<number>();
    trie.add("a", 1);
    trie.add("b", 3);
    trie.add("a.b", 2);
    trie.add("#", 4);

    expect([...trie.values()]).toEqual([1, 2, 3, 4]);
  });

  it("validates patterns and topics", () => {
    const trie = new TopicTrie<number>();
    expect(() => trie.add("a.#.b", 1)).toThrow(InvalidTopicError);
    expect(() => trie.delete("a..b", 1)).toThrow(InvalidTopicError);
    expect(() => trie.match("a.+")).toThrow(InvalidTopicError);
    expect(trie.nodeCount).toBe(1);
  });

  it("keeps system topics away from a root wildcard", () => {
    const trie = new TopicTrie<string>();
    trie.add("#", "all");
    trie.add("+.uptime", "any uptime");
    trie.add("$sys.#", "system");

    expect(trie.match("$sys.uptime")).toEqual(["system"]);
    expect(trie.match("app.uptime")).toEqual(["all", "any uptime"]);
  });
});

describe("publish cost", () => {
  it("does not grow with subscriptions that cannot match", () => {
    const small = new TopicTrie<number>();
    const large = new TopicTrie<number>();
    for (let i = 0; i < 10; i++) small.add(`device.${i}.+`, i);
    for (let i = 0; i < 10_000; i++) large.add(`device.${i}.+`, i);

    expect(large.match("device.42.temperature")).toEqual([42]);
    expect(large.cost("device.42.temperature")).toBe(small.cost("device.4.temperature"));
    expect(large.cost("device.42.temperature")).toBe(4);
  });

  it("counts a visit to a # child too", () => {
    const trie = new TopicTrie<number>();
    trie.add("a.#", 1);

    expect(trie.cost("a.b")).toBe(3);
  });

  it("visits one branch per wildcard, not one per subscription", () => {
    const trie = new TopicTrie<number>();
    for (let i = 0; i < 1000; i++) {
      trie.add(`device.${i}.+`, i);
      trie.add(`+.${i}.temperature`, i);
      trie.add(`device.${i}.#`, i);
    }

    expect(trie.match("device.7.temperature").sort()).toEqual([7, 7, 7]);
    expect(trie.cost("device.7.temperature")).toBeLessThan(12);
  });
});

describe("memory", () => {
  it("ends where it started after 100 000 add/delete cycles (nodes and heap)", () => {
    const gc = garbageCollector();
    const trie = new TopicTrie<object>();
    const cycle = (i: number) => {
      const value = {};
      const pattern = `tenant.${i % 997}.device.${i}.+`;
      trie.add(pattern, value);
      trie.delete(pattern, value);
    };
    for (let i = 0; i < 1000; i++) cycle(i); // warm up the code paths
    gc();
    const before = process.memoryUsage().heapUsed;

    for (let i = 0; i < 100_000; i++) cycle(i);
    gc();

    expect(trie.nodeCount).toBe(1);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1024 * 1024);
  });
});

// #region property
describe("property: the trie agrees with the reference matcher", () => {
  // Few level names, so that random topics and patterns actually meet.
  const level = fc.constantFrom("a", "b", "c", "$s");
  const topic = fc.array(level, { minLength: 1, maxLength: 4 }).map((levels) => levels.join("."));
  const pattern = fc
    .tuple(
      fc.array(fc.oneof(level, fc.constant("+")), { minLength: 0, maxLength: 4 }),
      fc.boolean(),
    )
    .filter(([levels, hash]) => levels.length > 0 || hash)
    .map(([levels, hash]) => [...levels, ...(hash ? ["#"] : [])].join("."));

  it("matches exactly the patterns topicMatches() accepts, each once", () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 12 }), topic, (patterns, published) => {
        const trie = new TopicTrie<number>();
        patterns.forEach((p, i) => {
          trie.add(p, i);
        });
        const expected = patterns.flatMap((p, i) => (topicMatches(p, published) ? [i] : []));
        expect(trie.match(published).sort((x, y) => x - y)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("prunes back to one node whatever the order of adds and deletes", () => {
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 12 }).chain((patterns) =>
          fc.tuple(
            fc.constant(patterns),
            fc.shuffledSubarray(
              patterns.map((_, i) => i),
              {
                minLength: patterns.length,
              },
            ),
          ),
        ),
        ([patterns, order]) => {
          const trie = new TopicTrie<number>();
          patterns.forEach((p, i) => {
            trie.add(p, i);
          });
          for (const i of order) expect(trie.delete(patterns[i] as string, i)).toBe(true);
          expect([trie.size, trie.nodeCount]).toEqual([0, 1]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
// #endregion property

describe("TopicTrie with isLive", () => {
  type Sub = { id: number; live: boolean };

  it("deletes 20 000 dead values of one pattern with at most three isLive calls each", () => {
    let checks = 0;
    const trie = new TopicTrie<Sub>(undefined, (sub) => {
      checks++;
      return sub.live;
    });
    const subs = Array.from({ length: 20_000 }, (_, id) => ({ id, live: true }));
    for (const sub of subs) trie.add("chat.lobby", sub);

    const { indexOf, splice } = Array.prototype;
    let searches = 0;
    Array.prototype.indexOf = function (this: unknown[], ...args: [unknown, number?]) {
      if (this.length > 100) searches++;
      return indexOf.apply(this, args);
    };
    Array.prototype.splice = function (this: unknown[], ...args: [number, number, ...unknown[]]) {
      if (this.length > 100) searches++;
      return splice.apply(this, args);
    } as typeof splice;
    try {
      for (const sub of subs) {
        sub.live = false;
        expect(trie.delete("chat.lobby", sub)).toBe(true);
      }
    } finally {
      Object.assign(Array.prototype, { indexOf, splice });
    }

    expect(searches).toBe(0);
    expect(checks).toBeLessThanOrEqual(3 * subs.length);
    expect(trie.size).toBe(0);
    expect(trie.nodeCount).toBe(1);
  });

  it("leaves dead values out of match() and values() before they are swept", () => {
    const trie = new TopicTrie<Sub>(undefined, (sub) => sub.live);
    const [a, b, c] = [1, 2, 3].map((id) => ({ id, live: true })) as [Sub, Sub, Sub];
    trie.add("x.y", a);
    trie.add("x.y", b);
    trie.add("x.+", c);
    b.live = false;
    trie.delete("x.y", b);

    expect(trie.match("x.y").map((s) => s.id)).toEqual([1, 3]);
    expect([...trie.values()].map((s) => s.id).sort()).toEqual([1, 3]);
    expect(trie.size).toBe(2);
  });

  it("still searches for a value that is live", () => {
    const trie = new TopicTrie<Sub>(undefined, (sub) => sub.live);
    const a = { id: 1, live: true };
    trie.add("x", a);
    expect(trie.delete("x", { id: 2, live: true })).toBe(false);
    expect(trie.delete("x", a)).toBe(true);
    expect(trie.size).toBe(0);
  });
});
