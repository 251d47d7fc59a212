/**
 * The work the `Subject` does, counted rather than timed. Compiled rounds and lazy sweeps are
 * specified to give the same results as the plain loop (subject.spec.ts runs every behaviour both
 * ways), so a change that stops compiling, compiles too often or sweeps too much breaks no
 * result: only these specs see it. They count compilations and compiled rounds through a spy on
 * the `Function` constructor, the one door code generation has, and the entries that sweeps
 * visit through `sweepWork`, the module's counter for tests.
 *
 * @kata-own-process: code generation, once refused, stays off for the rest of the process.
 */
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { garbageCollector, thrownBy } from "../../kata/spec-helpers";
import { COMPILE_AFTER_ROUNDS, MAX_COMPILED_OBSERVERS } from "./fast-rounds";
import { Subject, type SubjectOptions, sweepWork } from "./subject";

interface CompileWork {
  /** Lists compiled (calls of `new Function`, including those that threw). */
  compiled: number;
  /** Rounds run by a compiled function. */
  rounds: number;
}

const realFunction = globalThis.Function;

/**
 * Counts compilations and compiled rounds from now until the end of the test. With `forbid`,
 * `new Function` throws an EvalError, as a Content Security Policy or
 * `--disallow-code-generation-from-strings` makes it do.
 */
function countCompiling({ forbid = false } = {}): CompileWork {
  const work: CompileWork = { compiled: 0, rounds: 0 };
  globalThis.Function = new Proxy(realFunction, {
    construct(target, args, newTarget) {
      work.compiled++;
      if (forbid) throw new EvalError("Code generation from strings disallowed for this context");
      const factory = Reflect.construct(target, args, newTarget) as (...deps: unknown[]) => unknown;
      return (...deps: unknown[]) => {
        const round = factory(...deps);
        if (typeof round !== "function") return round;
        return (value: unknown) => {
          work.rounds++;
          round(value);
        };
      };
    },
  });
  return work;
}

afterEach(() => {
  globalThis.Function = realFunction;
});

/** A subject with `count` observers that do nothing, and their detachers. */
function withObservers(count: number, options: SubjectOptions = {}) {
  const subject = new Subject<number>(options);
  const leave = Array.from({ length: count }, () => subject.attach(() => {}));
  return { subject, leave };
}

describe("when a list is compiled", () => {
  it("compile: auto compiles an unchanged list at its COMPILE_AFTER_ROUNDS-th round, once", () => {
    const work = countCompiling();
    const { subject } = withObservers(2);
    for (let i = 1; i < COMPILE_AFTER_ROUNDS; i++) subject.notify(i);
    expect(work).toEqual({ compiled: 0, rounds: 0 });
    subject.notify(COMPILE_AFTER_ROUNDS);
    expect(work).toEqual({ compiled: 1, rounds: 1 });
    for (let i = 0; i < 10; i++) subject.notify(i);
    expect(work).toEqual({ compiled: 1, rounds: 11 });
  });

  it("compile: eager compiles at the first round, and compile: off never", () => {
    const work = countCompiling();
    const eager = withObservers(2, { compile: "eager" }).subject;
    eager.notify(1);
    expect(work).toEqual({ compiled: 1, rounds: 1 });
    const off = withObservers(2, { compile: "off" }).subject;
    for (let i = 0; i < 3 * COMPILE_AFTER_ROUNDS; i++) off.notify(i);
    expect(work).toEqual({ compiled: 1, rounds: 1 });
  });

  it("a change discards the compiled round, and the list must earn compiling again", () => {
    const work = countCompiling();
    const { subject, leave } = withObservers(3);
    for (let i = 0; i < COMPILE_AFTER_ROUNDS; i++) subject.notify(i);
    expect(work).toEqual({ compiled: 1, rounds: 1 });
    subject.attach(() => {});
    for (let i = 1; i < COMPILE_AFTER_ROUNDS; i++) subject.notify(i);
    (leave[1] as () => boolean)();
    for (let i = 1; i < COMPILE_AFTER_ROUNDS; i++) subject.notify(i);
    expect(work).toEqual({ compiled: 1, rounds: 1 });
    subject.notify(0);
    expect(work).toEqual({ compiled: 2, rounds: 2 });
  });

  it("compiles lists of up to MAX_COMPILED_OBSERVERS live observers, and no longer ones", () => {
    const work = countCompiling();
    withObservers(MAX_COMPILED_OBSERVERS, { compile: "eager" }).subject.notify(1);
    expect(work.compiled).toBe(1);
    const long = withObservers(MAX_COMPILED_OBSERVERS + 1, { compile: "eager" });
    long.subject.notify(1);
    expect(work.compiled).toBe(1);
    // One leaves from the middle: its dead entry is not swept yet, but only live ones count.
    (long.leave[1] as () => boolean)();
    long.subject.notify(2);
    expect(work).toEqual({ compiled: 2, rounds: 2 });
  });

  it("runs nested rounds of a compiled list compiled too", () => {
    const work = countCompiling();
    const subject = new Subject<number>({ compile: "eager" });
    subject.attach((n) => {
      if (n > 0) subject.notify(n - 1);
    });
    subject.notify(3);
    expect(work).toEqual({ compiled: 1, rounds: 4 });
  });
});

describe("sweeps (sweepWork counts the entries they visit)", () => {
  /** Detaches with each of `detachers` in turn; returns [step, visits] for each step that swept. */
  function sweepsWhile(detachers: Array<() => boolean>): Array<[step: number, visits: number]> {
    const sweeps: Array<[number, number]> = [];
    detachers.forEach((detach, i) => {
      const before = sweepWork.visited;
      expect(detach()).toBe(true);
      if (sweepWork.visited !== before) sweeps.push([i + 1, sweepWork.visited - before]);
    });
    return sweeps;
  }

  it.each([
    ["a new subject", (_: Subject<number>) => {}],
    ["a subject after a round of the loop", (s: Subject<number>) => s.notify(0)],
    ["a subject after clear()", (s: Subject<number>) => s.clear()],
  ])("drops the trailing entry of %s at once, one visit each", (_label, before) => {
    const s = new Subject<number>({ compile: "off" });
    s.attach(() => {});
    before(s);
    const first = s.attach(() => {});
    const last = s.attach(() => {});
    if (s.size === 3) s.notify(1); // a round after the last attach, for the loop case
    expect(sweepsWhile([last, first])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it.each([
    [
      40,
      [
        [33, 40],
        [40, 7],
      ],
    ],
    [
      66,
      [
        [34, 66],
        [66, 32],
      ],
    ],
    [
      100,
      [
        [51, 100],
        [84, 49],
        [100, 16],
      ],
    ],
  ])(
    "compacts a list of %i in one pass once its dead outnumber both 32 and the live",
    (count, sweeps) => {
      // Leaving from the front: no dead entry is trailing until the last one leaves.
      const { subject, leave } = withObservers(count, { compile: "off" });
      expect(sweepsWhile(leave)).toEqual(sweeps);
      expect(subject.size).toBe(0);
    },
  );

  it("pops dead entries that became trailing without a compaction pass", () => {
    const { leave } = withObservers(100, { compile: "off" });
    // 50 leave from the middle (not yet crowded: 50 of 100), then the last: 51 trailing dead.
    expect(sweepsWhile([...leave.slice(49, 99), leave[99] as () => boolean])).toEqual([[51, 51]]);
  });

  it("sweeps dead trailing entries when a round of the loop ends, not during it", () => {
    const s = new Subject<number>({ compile: "off" });
    const visits: number[] = [];
    const before = sweepWork.visited;
    let leave = () => false;
    s.attach(() => {
      leave();
      visits.push(sweepWork.visited - before);
    });
    leave = s.attach(() => {});
    s.notify(1);
    visits.push(sweepWork.visited - before);
    expect(visits).toEqual([0, 1]);
  });

  it("copies a crowded list during a round (copy on write) and sweeps the copy in place", () => {
    const s = new Subject<number>({ compile: "off" });
    const called: number[] = [];
    const visits: number[] = [];
    let round = 0;
    let leave: Array<() => boolean> = [];
    s.attach(() => {
      round++;
      if (round === 2) throw new Error("moderator down");
      if (round !== 1) return;
      for (const detach of [...leave.slice(0, 60), leave[99] as () => boolean]) {
        const before = sweepWork.visited;
        detach();
        visits.push(sweepWork.visited - before);
      }
    });
    leave = Array.from({ length: 100 }, (_, i) => s.attach(() => called.push(i)));
    const survivors = Array.from({ length: 39 }, (_, i) => 60 + i);

    s.notify(1);
    // 51 of 101 dead: one copy of the live entries; then in place, on an array nobody walks.
    expect(visits).toEqual([...Array(50).fill(0), 101, ...Array(9).fill(0), 1]);
    expect(called).toEqual(survivors);

    called.length = 0;
    expect(thrownBy(() => s.notify(2)).message).toBe(
      "1 of 40 observers failed during notify(); every observer ran",
    );
    expect(called).toEqual(survivors);
    expect(s.size).toBe(40);
  });

  it("counts only the observers attached since clear() in a round's failures", () => {
    const s = new Subject<number>({ compile: "off" });
    s.attach(() => {});
    s.clear();
    s.attach(() => {
      throw new Error("down");
    });
    s.attach(() => {});
    expect(thrownBy(() => s.notify(1)).message).toBe(
      "1 of 2 observers failed during notify(); every observer ran",
    );
  });
});

describe("the index of a long list", () => {
  it("does not find an observer that was detached before the index was built", () => {
    const s = new Subject<number>({ compile: "off" });
    const gone = () => {};
    for (let i = 0; i < 3; i++) s.attach(() => {});
    s.attach(gone);
    s.attach(() => {});
    s.detach(gone); // dead, not trailing: still in the list
    for (let i = 0; i < 20; i++) s.attach(() => {}); // the list outgrows scanning: indexed
    expect(s.has(gone)).toBe(false);
    expect(s.detach(gone)).toBe(false);
    expect(s.size).toBe(24);
  });

  it("forgets a detached observer, strong or weak", () => {
    const s = new Subject<number>({ compile: "off" });
    const strong = () => {};
    const weak = { update: () => {} };
    s.attach(strong);
    s.attach(weak, { weak: true });
    for (let i = 0; i < 20; i++) s.attach(() => {});
    expect(s.detach(strong)).toBe(true);
    expect(s.detach(weak)).toBe(true);
    expect([s.has(strong), s.has(weak), s.detach(strong), s.detach(weak)]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(s.size).toBe(20);
  });

  it("never finds a weak observer under a value that was never attached", () => {
    const s = new Subject<number>({ compile: "off" });
    const weak = { update: () => {} };
    s.attach(weak, { weak: true });
    for (let i = 0; i < 20; i++) s.attach(() => {});
    expect(s.has(undefined as never)).toBe(false);
    expect(s.detach(undefined as never)).toBe(false);
    expect(s.has(weak)).toBe(true);
    expect(s.size).toBe(21);
  });
});

describe("a collected weak observer", () => {
  const gc = garbageCollector();

  it("has its entry swept once the registry reports it", async () => {
    const s = new Subject<number>({ compile: "off" });
    s.attach(() => {});
    (() => {
      s.attach({ update: () => {} }, { weak: true }); // last: its entry is dropped at once
    })();
    const before = sweepWork.visited;
    for (let i = 0; i < 10 && sweepWork.visited === before; i++) {
      await nextMacrotask(); // WeakRef targets read in this job stay alive until it ends
      gc();
      await nextMacrotask(); // FinalizationRegistry callbacks run as their own tasks
    }
    expect(sweepWork.visited - before).toBe(1);
    expect(s.size).toBe(1);
  });
});

// Giving up is for the rest of the process: this comes last, in a file that has a process of its
// own (every vitest run isolates files by default; verify, from the comment at the top).
describe("where code generation is forbidden", () => {
  it("gives up compiling after the first refusal, for every subject, and runs the loop", () => {
    const work = countCompiling({ forbid: true });
    const calls: number[] = [];
    const first = new Subject<number>({ compile: "eager" });
    first.attach((n) => calls.push(n));
    first.notify(1);
    first.notify(2);
    const second = new Subject<number>({ compile: "eager" });
    second.attach((n) => calls.push(10 * n));
    second.notify(3);
    expect(calls).toEqual([1, 2, 30]);
    expect(work).toEqual({ compiled: 1, rounds: 0 });
  });
});
