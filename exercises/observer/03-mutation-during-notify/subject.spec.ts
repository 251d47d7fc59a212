import { beforeEach, describe, expect, it } from "vitest";
import { type ObserverError, RecursionLimitError, Subject } from "./subject";

let subject: Subject<number>;
let calls: string[];

/** Runs `act` and returns what it threw (the test fails if it throws nothing). */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, but notify() returned normally");
}

beforeEach(() => {
  subject = new Subject<number>();
  calls = [];
});

describe("detaching during a round", () => {
  it("still calls the next observer when one detaches itself", () => {
    const once = (v: number) => {
      calls.push(`once${v}`);
      subject.detach(once);
    };
    subject.attach(once);
    subject.attach((v) => calls.push(`b${v}`));
    subject.notify(1);
    subject.notify(2);
    expect(calls).toEqual(["once1", "b1", "b2"]);
  });

  it("does not call an observer that an earlier one detached in the same round", () => {
    const b = (v: number) => calls.push(`b${v}`);
    subject.attach((v) => {
      calls.push(`a${v}`);
      subject.detach(b);
    });
    subject.attach(b);
    subject.attach((v) => calls.push(`c${v}`));
    subject.notify(1);
    expect(calls).toEqual(["a1", "c1"]);
  });
});

describe("object observers during a round", () => {
  it("skips an object observer that an earlier one detached, and keeps its this", () => {
    class Counter {
      count = 0;
      update() {
        this.count++;
      }
    }
    const kept = new Counter();
    const dropped = new Counter();
    subject.attach({ update: () => subject.detach(dropped) });
    subject.attach(dropped);
    subject.attach(kept);
    subject.notify(1);
    subject.notify(2);
    expect([dropped.count, kept.count]).toEqual([0, 2]);
  });

  it("calls a class observer with the object as this in a nested round too", () => {
    class Recorder {
      readonly seen: number[] = [];
      update(v: number) {
        this.seen.push(v);
      }
    }
    const recorder = new Recorder();
    subject.attach((v) => {
      if (v === 1) subject.notify(2);
    });
    subject.attach(recorder);
    subject.notify(1);
    expect(recorder.seen).toEqual([2, 1]);
  });

  it("calls an object observer attached during a round from the next round on", () => {
    const late = {
      seen: [] as number[],
      update(v: number) {
        this.seen.push(v);
      },
    };
    subject.attach((v) => {
      if (v === 1) subject.attach(late);
    });
    subject.notify(1);
    subject.notify(2);
    expect(late.seen).toEqual([2]);
  });
});

describe("attaching during a round", () => {
  it("calls an observer attached during a round from the next round on", () => {
    const late = (v: number) => calls.push(`late${v}`);
    subject.attach((v) => {
      calls.push(`a${v}`);
      subject.attach(late);
    });
    subject.notify(1);
    subject.notify(2);
    expect(calls).toEqual(["a1", "a2", "late2"]);
  });

  it("makes an observer detached and re-attached during a round wait for the next one", () => {
    const b = (v: number) => calls.push(`b${v}`);
    subject.attach((v) => {
      calls.push(`a${v}`);
      if (v === 1) {
        subject.detach(b);
        subject.attach(b);
      }
    });
    subject.attach(b);
    subject.notify(1);
    subject.notify(2);
    expect(calls).toEqual(["a1", "a2", "b2"]);
  });
});

describe("notify() from inside an observer", () => {
  it("runs the nested round at once, before the outer round goes on", () => {
    subject.attach((v) => {
      calls.push(`a${v}`);
      if (v === 1) subject.notify(2);
    });
    subject.attach((v) => calls.push(`b${v}`));
    subject.notify(1);
    expect(calls).toEqual(["a1", "a2", "b2", "b1"]);
  });

  it("counts as a next round: it calls an observer attached earlier in the outer round", () => {
    const late = (v: number) => calls.push(`late${v}`);
    subject.attach((v) => {
      calls.push(`a${v}`);
      if (v === 1) {
        subject.attach(late);
        subject.notify(2);
      }
    });
    subject.notify(1);
    expect(calls).toEqual(["a1", "a2", "late2"]);
  });

  it("stays safe: a failure in the nested round is reported to the observer that notified", () => {
    let caught: unknown;
    subject.attach((v) => {
      if (v !== 1) return;
      try {
        subject.notify(2);
      } catch (error) {
        caught = error;
      }
    });
    subject.attach((v) => {
      if (v === 2) throw new Error("nested failure");
    });
    subject.notify(1);
    expect(caught).toBeInstanceOf(AggregateError);
    expect(((caught as AggregateError).errors[0] as ObserverError).cause).toEqual(
      new Error("nested failure"),
    );
  });
});

describe("runaway recursion", () => {
  it("stops with a RecursionLimitError after maxDepth nested rounds", () => {
    const limited = new Subject<number>({ maxDepth: 3 });
    let rounds = 0;
    limited.attach((v) => {
      rounds++;
      limited.notify(v + 1); // never stops by itself
    });
    const error = thrownBy(() => limited.notify(0));
    expect(error).toBeInstanceOf(RecursionLimitError);
    expect((error as RecursionLimitError).maxDepth).toBe(3);
    expect((error as RecursionLimitError).message).toContain("3");
    expect(rounds).toBe(3);
  });

  it("throws the RecursionLimitError itself, not wrapped in an AggregateError", () => {
    const limited = new Subject<number>({ maxDepth: 2 });
    limited.attach((v) => limited.notify(v + 1));
    limited.attach(() => calls.push("other"));
    expect(thrownBy(() => limited.notify(0))).toBeInstanceOf(RecursionLimitError);
  });

  it("allows nesting exactly maxDepth rounds deep", () => {
    const limited = new Subject<number>({ maxDepth: 3 });
    limited.attach((v) => {
      calls.push(`depth${v}`);
      if (v < 3) limited.notify(v + 1);
    });
    expect(() => limited.notify(1)).not.toThrow();
    expect(calls).toEqual(["depth1", "depth2", "depth3"]);
  });

  it("recovers: after the limit was hit, the next notify() works", () => {
    const limited = new Subject<number>({ maxDepth: 2 });
    let runaway = true;
    limited.attach((v) => {
      calls.push(`got${v}`);
      if (runaway) limited.notify(v + 1);
    });
    thrownBy(() => limited.notify(0));
    runaway = false;
    calls = [];
    expect(() => limited.notify(10)).not.toThrow();
    expect(calls).toEqual(["got10"]);
  });

  it("stops a second runaway at the same depth, with the same error", () => {
    const limited = new Subject<number>({ maxDepth: 3 });
    let rounds = 0;
    limited.attach((v) => {
      rounds++;
      limited.notify(v + 1);
    });
    const first = thrownBy(() => limited.notify(0));
    const firstRounds = rounds;
    rounds = 0;
    const second = thrownBy(() => limited.notify(0));
    expect(first).toBeInstanceOf(RecursionLimitError);
    expect(second).toBeInstanceOf(RecursionLimitError);
    expect((second as RecursionLimitError).maxDepth).toBe(3);
    expect([firstRounds, rounds]).toEqual([3, 3]);
  });

  it("counts depth from the round under way, after an earlier nested round has ended", () => {
    // The outer round is depth 1; the first observer nests one round (depth 2), which ends; the
    // runaway then runs at depths 1, 2 and 3, and its notify() from depth 3 is refused.
    const limited = new Subject<number>({ maxDepth: 3 });
    let runs = 0;
    limited.attach((v) => {
      if (v === 0) limited.notify(100);
    });
    limited.attach((v) => {
      if (v === 100) return;
      runs++;
      limited.notify(v + 1);
    });
    expect(thrownBy(() => limited.notify(0))).toBeInstanceOf(RecursionLimitError);
    expect(runs).toBe(3);
  });

  it("defaults maxDepth to 32", () => {
    let rounds = 0;
    subject.attach((v) => {
      rounds++;
      subject.notify(v + 1);
    });
    expect(thrownBy(() => subject.notify(0))).toBeInstanceOf(RecursionLimitError);
    expect(rounds).toBe(32);
  });
});

describe("attach() and detach(), kept from step 1", () => {
  it("rejects every value that is not a function or an object with update(), with a TypeError", () => {
    subject.attach((v) => calls.push(`kept:${v}`));
    const bad: unknown[] = [null, undefined, 0, "update", {}, { update: "no" }, [], Symbol("x")];
    for (const value of bad) {
      let error: unknown;
      try {
        subject.attach(value as never);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toContain("observer");
    }
    subject.notify(1);
    expect(calls).toEqual([`kept:${1}`]);
  });

  it("attaches an observer once, and detach() says whether it was attached", () => {
    const first = (v: unknown) => calls.push(`first:${v}`);
    const second = { update: (v: unknown) => calls.push(`second:${v}`) };
    subject.attach(first);
    subject.attach(first);
    subject.attach(second);
    subject.attach(second);
    subject.notify(1);
    expect(subject.detach(first)).toBe(true);
    expect(subject.detach(first)).toBe(false);
    expect(subject.detach(() => {})).toBe(false);
    subject.notify(1);
    expect(calls).toEqual([`first:${1}`, `second:${1}`, `second:${1}`]);
  });
});

describe("the errors' messages", () => {
  it("gives each ObserverError a message with what the observer threw", () => {
    subject.attach(() => {
      throw new Error("sensor offline");
    });
    subject.attach(() => {
      throw "no signal";
    });
    const error = thrownBy(() => subject.notify(1)) as AggregateError;
    expect((error.errors[0] as Error).message).toContain("sensor offline");
    expect((error.errors[1] as Error).message).toContain("no signal");
  });

  it("says in the AggregateError's message how many observers failed", () => {
    for (const failing of [1, 2, 3]) {
      const fresh = new Subject<unknown>();
      for (let i = 0; i < failing; i++) {
        fresh.attach(() => {
          throw new Error(`observer ${i} down`);
        });
      }
      fresh.attach(() => {});
      const error = thrownBy(() => fresh.notify(1)) as AggregateError;
      expect(error).toBeInstanceOf(AggregateError);
      expect(error.message).toContain(String(failing));
    }
  });
});

describe("the errors' names", () => {
  it("names the wrapper of a failure ObserverError", () => {
    subject.attach(() => {
      throw new Error("down");
    });
    const error = thrownBy(() => subject.notify(1)) as AggregateError;
    expect(error.errors[0]).toBeInstanceOf(Error);
    expect((error.errors[0] as Error).name).toBe("ObserverError");
  });

  it("names the recursion error RecursionLimitError", () => {
    const limited = new Subject<number>({ maxDepth: 2 });
    limited.attach((v) => limited.notify(v + 1));
    expect((thrownBy(() => limited.notify(0)) as Error).name).toBe("RecursionLimitError");
  });
});
