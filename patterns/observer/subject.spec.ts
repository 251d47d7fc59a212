import { getEventListeners } from "node:events";
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { garbageCollector } from "../../kata/spec-helpers";
import { COMPILE_AFTER_ROUNDS, MAX_COMPILED_OBSERVERS } from "./fast-rounds";
import {
  type AttachOptions,
  DEFAULT_MAX_DEPTH,
  type Observer,
  ObserverError,
  RecursionLimitError,
  Subject,
  type SubjectOptions,
  sweepWork,
} from "./subject";

/** Runs `fn` and returns what it threw (failing the test if it threw nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

// Every behaviour must be the same whether a round runs as the loop or as the compiled function.
describe.each([
  { mode: "the loop", options: { compile: "off" } },
  { mode: "a compiled round", options: { compile: "eager" } },
] satisfies { mode: string; options: SubjectOptions }[])(
  "Subject, rounds run by $mode",
  ({ options }) => {
    const subject = <T>(extra: SubjectOptions = {}) => new Subject<T>({ ...options, ...extra });

    describe("attach() and notify()", () => {
      it("notifies function and object observers, in attach order", () => {
        const s = subject<string>();
        const calls: string[] = [];
        s.attach((v) => calls.push(`fn:${v}`));
        s.attach({ update: (v) => calls.push(`obj:${v}`) });
        s.attach((v) => calls.push(`fn2:${v}`));
        s.notify("a");
        expect(calls).toEqual(["fn:a", "obj:a", "fn2:a"]);
      });

      it("calls update() with the observer as this", () => {
        const s = subject<string>();
        class Inbox {
          readonly received: string[] = [];
          update(v: string) {
            this.received.push(v);
          }
        }
        const inbox = new Inbox();
        s.attach(inbox);
        s.notify("x");
        expect(inbox.received).toEqual(["x"]);
      });

      it("calls a function observer with this undefined, never the subject's internals", () => {
        const s = subject<number>();
        let seen: unknown = "unset";
        s.attach(function (this: unknown) {
          seen = this;
        });
        s.notify(1);
        expect(seen).toBeUndefined();
      });

      it("looks update() up at each round, so a replaced method is the one called", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const observer = { update: (_: number) => calls.push("old") };
        s.attach(observer);
        observer.update = () => calls.push("new");
        s.notify(1);
        expect(calls).toEqual(["new"]);
      });

      it("does nothing when no observer is attached", () => {
        expect(() => subject<number>().notify(1)).not.toThrow();
      });

      it("notifies an observer attached twice once, in its first place", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const a = () => calls.push("a");
        s.attach(a);
        s.attach(() => calls.push("b"));
        s.attach(a);
        s.notify(1);
        expect(calls).toEqual(["a", "b"]);
        expect(s.size).toBe(2);
      });

      it("keeps an observer strong when it is attached again as weak", () => {
        const s = subject<number>();
        const a = () => {};
        s.attach(a);
        s.attach(a, { weak: true });
        expect(s.has(a)).toBe(true);
        expect(s.size).toBe(1);
      });

      it("returns a detacher, which returns true once and false after", () => {
        const s = subject<number>();
        const calls: number[] = [];
        const detach = s.attach((v) => calls.push(v));
        s.notify(1);
        expect(detach()).toBe(true);
        expect(detach()).toBe(false);
        s.notify(2);
        expect(calls).toEqual([1]);
      });

      it("returns the same registration's detacher for a duplicate attach", () => {
        const s = subject<number>();
        const a = () => {};
        s.attach(a);
        const again = s.attach(a);
        expect(again()).toBe(true);
        expect(s.has(a)).toBe(false);
      });
    });

    describe("detach(), has(), size and clear()", () => {
      it("detaches an observer and keeps the others in order", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const b = () => calls.push("b");
        s.attach(() => calls.push("a"));
        s.attach(b);
        s.attach(() => calls.push("c"));
        expect(s.detach(b)).toBe(true);
        s.notify(1);
        expect(calls).toEqual(["a", "c"]);
        expect(s.has(b)).toBe(false);
        expect(s.size).toBe(2);
      });

      it("treats detaching an unknown observer as a no-op that returns false", () => {
        const s = subject<number>();
        const calls: string[] = [];
        s.attach(() => calls.push("a"));
        s.attach(() => calls.push("b"));
        expect(s.detach(() => {})).toBe(false);
        expect(s.detach(null as unknown as Observer<number>)).toBe(false);
        s.notify(1);
        expect(calls).toEqual(["a", "b"]);
      });

      it("re-attaches a detached observer at the end", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const a = () => calls.push("a");
        s.attach(a);
        s.attach(() => calls.push("b"));
        s.detach(a);
        s.attach(a);
        s.notify(1);
        expect(calls).toEqual(["b", "a"]);
      });

      it("clear() detaches everyone", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const a = () => calls.push("a");
        const detach = s.attach(a);
        s.clear();
        s.notify(1);
        expect(calls).toEqual([]);
        expect(s.size).toBe(0);
        expect(detach()).toBe(false);
      });
    });

    describe("safe notify", () => {
      it("runs every observer even when some throw, then throws an AggregateError", () => {
        const s = subject<number>();
        const calls: string[] = [];
        s.attach(() => calls.push("a"));
        s.attach(() => {
          throw new Error("b broke");
        });
        s.attach(() => calls.push("c"));
        const error = thrown(() => s.notify(1));
        expect(calls).toEqual(["a", "c"]);
        expect(error).toBeInstanceOf(AggregateError);
      });

      it("reports every failure as an ObserverError, in attach order, with observer and cause", () => {
        const s = subject<number>();
        const first = new Error("first");
        function failing() {
          throw first;
        }
        class Sms {
          update() {
            throw "no signal";
          }
        }
        const sms = new Sms();
        s.attach(failing);
        s.attach(sms);
        const error = thrown(() => s.notify(1)) as AggregateError;
        expect(error.message).toBe("2 of 2 observers failed during notify(); every observer ran");
        const [a, b] = error.errors as ObserverError[];
        expect(a).toBeInstanceOf(ObserverError);
        expect(a?.observer).toBe(failing);
        expect(a?.cause).toBe(first);
        expect(a?.message).toBe("observer failing() threw: first");
        expect(b?.observer).toBe(sms);
        expect(b?.cause).toBe("no signal");
        expect(b?.message).toBe('observer Sms.update() threw: "no signal"');
        expect(b?.name).toBe("ObserverError");
      });

      it("names anonymous observers as well as it can", () => {
        const s = subject<number>();
        s.attach({
          update() {
            throw new Error("x");
          },
        });
        const [failure] = (thrown(() => s.notify(1)) as AggregateError).errors as ObserverError[];
        expect(failure?.message).toBe("observer { … }.update() threw: x");
      });

      it("names an anonymous function observer (anonymous)", () => {
        const s = subject<number>();
        s.attach(
          [
            () => {
              throw new Error("x");
            },
          ][0] as () => void,
        );
        const [failure] = (thrown(() => s.notify(1)) as AggregateError).errors as ObserverError[];
        expect(failure?.message).toBe("observer (anonymous)() threw: x");
      });

      it("keeps a failing observer attached: it runs again next round", () => {
        const s = subject<number>();
        let calls = 0;
        s.attach(() => {
          calls++;
          throw new Error("again");
        });
        expect(() => s.notify(1)).toThrow(AggregateError);
        expect(() => s.notify(2)).toThrow(AggregateError);
        expect(calls).toBe(2);
      });

      it("hands a nested round's AggregateError to the observer that notified", () => {
        const s = subject<number>();
        let caught: unknown;
        s.attach((v) => {
          if (v !== 0) return;
          try {
            s.notify(1);
          } catch (error) {
            caught = error;
          }
        });
        s.attach((v) => {
          if (v === 1) throw new Error("nested");
        });
        s.notify(0);
        expect(caught).toBeInstanceOf(AggregateError);
        expect(((caught as AggregateError).errors[0] as ObserverError).message).toContain("nested");
      });
    });

    describe("mutation during notify", () => {
      it("still calls the next observer when one detaches itself", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const a = () => {
          calls.push("a");
          s.detach(a);
        };
        s.attach(a);
        s.attach(() => calls.push("b"));
        s.notify(1);
        s.notify(2);
        expect(calls).toEqual(["a", "b", "b"]);
      });

      it("does not call an observer that an earlier one detached in the same round", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const b = () => calls.push("b");
        s.attach(() => {
          calls.push("a");
          s.detach(b);
        });
        s.attach(b);
        s.attach(() => calls.push("c"));
        s.notify(1);
        expect(calls).toEqual(["a", "c"]);
      });

      it("does not call an observer detached by clear() during the round", () => {
        const s = subject<number>();
        const calls: string[] = [];
        s.attach(() => {
          calls.push("a");
          s.clear();
        });
        s.attach(() => calls.push("b"));
        s.notify(1);
        expect(calls).toEqual(["a"]);
      });

      it("calls an observer attached during a round from the next round on", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const late = (v: number) => calls.push(`late${v}`);
        s.attach((v) => {
          calls.push(`a${v}`);
          s.attach(late);
        });
        s.notify(1);
        s.notify(2);
        expect(calls).toEqual(["a1", "a2", "late2"]);
      });

      it("makes an observer detached and re-attached during a round wait for the next", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const b = (v: number) => calls.push(`b${v}`);
        s.attach((v) => {
          calls.push(`a${v}`);
          if (v === 1) {
            s.detach(b);
            s.attach(b);
          }
        });
        s.attach(b);
        s.notify(1);
        s.notify(2);
        expect(calls).toEqual(["a1", "a2", "b2"]);
      });

      it("still calls the rest of the round when an observer detaches itself after a nested notify", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const first = (v: number) => {
          calls.push(`first ${v}`);
          if (v !== 1) return;
          s.notify(2);
          s.detach(first);
        };
        s.attach(first);
        s.attach((v) => calls.push(`second ${v}`));
        s.attach((v) => calls.push(`third ${v}`));

        s.notify(1);

        expect(calls).toEqual(["first 1", "first 2", "second 2", "third 2", "second 1", "third 1"]);
      });

      it("survives many detaches in one round (each observer detaching itself)", () => {
        const s = subject<number>();
        const calls: number[] = [];
        for (let i = 0; i < 5; i++) {
          const self = () => {
            calls.push(i);
            s.detach(self);
          };
          s.attach(self);
        }
        s.notify(0);
        expect(calls).toEqual([0, 1, 2, 3, 4]);
        expect(s.size).toBe(0);
      });
    });

    describe("a round that threw", () => {
      it("still runs the rest and names the right observer after a detach earlier in it", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const b = () => calls.push("b");
        function thrower() {
          calls.push("thrower");
          throw new Error("boom");
        }
        s.attach(() => {
          calls.push("a");
          s.detach(b);
        });
        s.attach(b);
        s.attach(thrower);
        s.attach(() => calls.push("d"));
        const error = thrown(() => s.notify(1)) as AggregateError;
        expect(calls).toEqual(["a", "thrower", "d"]);
        expect((error.errors as ObserverError[]).map((e) => e.observer)).toEqual([thrower]);
      });

      it("leaves no round under way: the next one may nest as deep as ever", () => {
        const s = subject<number>({ maxDepth: 2 });
        let fail = false;
        const seen: number[] = [];
        s.attach((v) => {
          seen.push(v);
          if (fail) throw new Error("boom");
          if (v === 20) s.notify(21);
        });
        s.notify(0); // compiles the list: the failing round runs on the hot path
        fail = true;
        expect(() => s.notify(10)).toThrow(AggregateError);
        fail = false;
        seen.length = 0;
        expect(() => s.notify(20)).not.toThrow();
        expect(seen).toEqual([20, 21]);
      });
    });

    describe("notify from inside an observer", () => {
      it("runs the nested round at once, depth-first", () => {
        const s = subject<number>();
        const calls: string[] = [];
        s.attach((v) => {
          calls.push(`a${v}`);
          if (v === 1) s.notify(2);
        });
        s.attach((v) => calls.push(`b${v}`));
        s.notify(1);
        expect(calls).toEqual(["a1", "a2", "b2", "b1"]);
      });

      it("includes, in the nested round, an observer attached earlier in the outer one", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const late = (v: number) => calls.push(`late${v}`);
        s.attach((v) => {
          calls.push(`a${v}`);
          if (v === 1) {
            s.attach(late);
            s.notify(2);
          }
        });
        s.notify(1);
        expect(calls).toEqual(["a1", "a2", "late2"]);
      });

      it("skips, in the outer round, an observer a nested round detached", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const c = (v: number) => calls.push(`c${v}`);
        s.attach((v) => {
          calls.push(`a${v}`);
          if (v === 1) s.notify(2);
        });
        s.attach((v) => {
          calls.push(`b${v}`);
          if (v === 2) s.detach(c);
        });
        s.attach(c);
        s.notify(1);
        expect(calls).toEqual(["a1", "a2", "b2", "b1"]);
      });
    });

    describe("runaway recursion", () => {
      it("stops with a RecursionLimitError after maxDepth nested rounds", () => {
        const s = subject<number>({ maxDepth: 3 });
        let calls = 0;
        s.attach((v) => {
          calls++;
          s.notify(v + 1);
        });
        const error = thrown(() => s.notify(0));
        expect(error).toBeInstanceOf(RecursionLimitError);
        expect((error as RecursionLimitError).maxDepth).toBe(3);
        expect((error as Error).message).toMatch(/more than 3 rounds deep/);
        expect(calls).toBe(3);
      });

      it("unwinds at once, without running the rest of the enclosing rounds", () => {
        const s = subject<number>({ maxDepth: 4 });
        const calls: string[] = [];
        s.attach((v) => {
          calls.push(`a${v}`);
          s.notify(v + 1);
        });
        s.attach((v) => calls.push(`b${v}`));
        expect(() => s.notify(0)).toThrow(RecursionLimitError);
        expect(calls).toEqual(["a0", "a1", "a2", "a3"]);
      });

      it("stops a loop between two subjects", () => {
        const ping = subject<number>({ maxDepth: 5 });
        const pong = subject<number>({ maxDepth: 5 });
        ping.attach((v) => pong.notify(v + 1));
        pong.attach((v) => ping.notify(v + 1));
        expect(() => ping.notify(0)).toThrow(RecursionLimitError);
      });

      it("allows nesting exactly maxDepth rounds deep", () => {
        const s = subject<number>({ maxDepth: 3 });
        const seen: number[] = [];
        s.attach((v) => {
          seen.push(v);
          if (v < 3) s.notify(v + 1);
        });
        expect(() => s.notify(1)).not.toThrow();
        expect(seen).toEqual([1, 2, 3]);
      });

      it("recovers: the next notify works once the limit was hit", () => {
        const s = subject<number>({ maxDepth: 2 });
        let runaway = true;
        const seen: number[] = [];
        s.attach((v) => {
          seen.push(v);
          if (runaway) s.notify(v + 1);
        });
        expect(() => s.notify(0)).toThrow(RecursionLimitError);
        runaway = false;
        seen.length = 0;
        s.notify(10);
        expect(seen).toEqual([10]);
      });

      it("counts afresh after the limit was hit on a subject that had notified before", () => {
        // Two rounds first: the first compiles the list, the second runs on the hot path (and
        // must leave the subject idle), then the runaway starts on the hot path too.
        const s = subject<number>({ maxDepth: 2 });
        let runaway = false;
        const seen: number[] = [];
        s.attach((v) => {
          seen.push(v);
          if (runaway) s.notify(v + 1);
        });
        s.notify(0);
        s.notify(0);
        runaway = true;
        expect(() => s.notify(10)).toThrow(RecursionLimitError);
        seen.length = 0;
        expect(() => s.notify(20)).toThrow(RecursionLimitError);
        expect(seen).toEqual([20, 21]);
      });

      it("lets a nested notify with no observers left do nothing, whatever the depth", () => {
        const s = subject<number>({ maxDepth: 1 });
        const observer = () => {
          s.detach(observer);
          s.notify(1); // nobody left to notify: nothing to recurse into
        };
        s.attach(observer);
        expect(() => s.notify(0)).not.toThrow();
      });

      it("treats a RecursionLimitError an observer wrapped as an ordinary failure", () => {
        const s = subject<number>({ maxDepth: 1 });
        s.attach((v) => {
          if (v > 0) return;
          try {
            s.notify(1);
          } catch (error) {
            throw new Error("wrapped", { cause: error });
          }
        });
        const error = thrown(() => s.notify(0)) as AggregateError;
        expect(error).toBeInstanceOf(AggregateError);
        const [failure] = error.errors as ObserverError[];
        const wrapped = failure?.cause as Error | undefined;
        expect(wrapped?.cause).toBeInstanceOf(RecursionLimitError);
      });
    });

    describe("attach() with something that is not an observer", () => {
      it.each([
        [null, "null"],
        [undefined, "undefined"],
        [42, "42"],
        ["update", '"update"'],
        [{}, "an object with no update() method"],
        [{ update: "soon" }, "an object whose update is not a function"],
        [[], "an array"],
      ])("rejects %o with a TypeError naming `observer` (%s)", (value, described) => {
        const s = subject<number>();
        const error = thrown(() => s.attach(value as unknown as Observer<number>));
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toBe(
          `\`observer\` must be a function or have an update() method, got ${described}`,
        );
        expect(s.size).toBe(0);
      });

      it("rejects a signal that is not an AbortSignal", () => {
        expect(() =>
          subject<number>().attach(() => {}, { signal: {} as unknown as AbortSignal }),
        ).toThrow(/`options.signal` must be an AbortSignal, got an object/);
      });

      it.each([
        ["weak", "yes", '"yes"'],
        ["once", 1, "1"],
        ["once", null, "null"],
      ])("rejects options.%s = %o with a TypeError, attaching nothing", (name, flag, described) => {
        const s = subject<number>();
        expect(() => s.attach(() => {}, { [name]: flag } as unknown as AttachOptions)).toThrow(
          new TypeError(`\`options.${name}\` must be a boolean, got ${described}`),
        );
        expect(s.size).toBe(0);
      });
    });

    describe("attach() with a signal", () => {
      it("detaches the observer when the signal aborts", () => {
        const s = subject<number>();
        const calls: number[] = [];
        const controller = new AbortController();
        s.attach((v) => calls.push(v), { signal: controller.signal });
        s.notify(1);
        controller.abort();
        s.notify(2);
        expect(calls).toEqual([1]);
        expect(s.size).toBe(0);
      });

      it("attaches nothing for a signal that has already aborted", () => {
        const s = subject<number>();
        const detach = s.attach(() => {}, { signal: AbortSignal.abort() });
        expect(s.size).toBe(0);
        expect(detach()).toBe(false);
      });

      it("stops listening to the signal once the observer is detached otherwise", () => {
        const s = subject<number>();
        const controller = new AbortController();
        const a = () => {};
        s.attach(a, { signal: controller.signal });
        s.detach(a);
        expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
        s.attach(a); // attached again, without the signal this time
        controller.abort();
        expect(s.has(a)).toBe(true);
      });

      it("skips the rest of the round for an observer whose signal aborts during it", () => {
        const s = subject<number>();
        const calls: string[] = [];
        const controller = new AbortController();
        s.attach(() => {
          calls.push("a");
          controller.abort();
        });
        s.attach(() => calls.push("b"), { signal: controller.signal });
        s.notify(1);
        expect(calls).toEqual(["a"]);
      });
    });

    describe("attach() with once", () => {
      it("calls the observer in the next round only, then detaches it", () => {
        const s = subject<number>();
        const calls: number[] = [];
        const detach = s.attach((v) => calls.push(v), { once: true });
        expect(s.size).toBe(1);
        s.notify(1);
        s.notify(2);
        expect(calls).toEqual([1]);
        expect(s.size).toBe(0);
        expect(detach()).toBe(false);
      });

      it("calls an object's update() once, with the object as this", () => {
        const s = subject<number>();
        const seen: unknown[] = [];
        const observer = {
          update(this: unknown, v: number) {
            seen.push(this, v);
          },
        };
        s.attach(observer, { once: true });
        s.notify(1);
        s.notify(2);
        expect(seen).toEqual([observer, 1]);
      });

      it("detaches before the call: a nested notify does not call it again", () => {
        const s = subject<number>();
        const calls: number[] = [];
        s.attach(
          (v) => {
            calls.push(v);
            s.notify(v + 1);
          },
          { once: true },
        );
        s.notify(1);
        expect(calls).toEqual([1]);
      });

      it("is detached even when it throws, and its failure is reported", () => {
        const s = subject<number>();
        s.attach(
          () => {
            throw new Error("boom");
          },
          { once: true },
        );
        const error = thrown(() => s.notify(1)) as AggregateError;
        expect(error.errors).toHaveLength(1);
        expect(s.size).toBe(0);
        expect(() => s.notify(2)).not.toThrow();
      });

      it("keeps its place among observers attached before and after it", () => {
        const s = subject<number>();
        const calls: string[] = [];
        s.attach((v) => calls.push(`a${v}`));
        s.attach((v) => calls.push(`once${v}`), { once: true });
        s.attach((v) => calls.push(`c${v}`));
        s.notify(1);
        s.notify(2);
        expect(calls).toEqual(["a1", "once1", "c1", "a2", "c2"]);
      });

      it("can be detached before it ever runs", () => {
        const s = subject<number>();
        const calls: number[] = [];
        const detach = s.attach((v) => calls.push(v), { once: true });
        expect(detach()).toBe(true);
        s.notify(1);
        expect(calls).toEqual([]);
      });

      it("changes nothing for an observer that is already attached", () => {
        const s = subject<number>();
        const calls: number[] = [];
        const observer = (v: number) => calls.push(v);
        const first = s.attach(observer);
        expect(s.attach(observer, { once: true })).not.toBe(first); // a detacher of the same entry
        s.notify(1);
        s.notify(2);
        expect(calls).toEqual([1, 2]);
      });

      it("runs once when attached again by its own call", () => {
        const s = subject<number>();
        const calls: number[] = [];
        const observer = (v: number) => {
          calls.push(v);
          if (v < 3) s.attach(observer, { once: true });
        };
        s.attach(observer, { once: true });
        s.notify(1);
        s.notify(2);
        s.notify(3);
        s.notify(4);
        expect(calls).toEqual([1, 2, 3]);
      });

      it("combines with a signal: aborting before the call detaches it", () => {
        const s = subject<number>();
        const calls: number[] = [];
        const controller = new AbortController();
        s.attach((v) => calls.push(v), { once: true, signal: controller.signal });
        controller.abort();
        s.notify(1);
        expect(calls).toEqual([]);
        expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      });

      it("stops listening to its signal once it has run", () => {
        const s = subject<number>();
        const controller = new AbortController();
        s.attach(() => {}, { once: true, signal: controller.signal });
        s.notify(1);
        expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      });
    });
  },
);

describe("a long observer list", () => {
  it("attaches, notifies in order and detaches ten thousand observers", () => {
    const s = new Subject<number>();
    const seen: number[] = [];
    const observers = Array.from({ length: 10_000 }, (_, i) => () => seen.push(i));
    for (const observer of observers) s.attach(observer);
    s.notify(0);
    expect(seen).toEqual(observers.map((_, i) => i));
    for (const observer of observers.slice(0, 9_999)) expect(s.detach(observer)).toBe(true);
    seen.length = 0;
    s.notify(1);
    expect(seen).toEqual([9_999]);
    expect(s.size).toBe(1);
  });
});

describe("new Subject(options)", () => {
  it("defaults maxDepth to DEFAULT_MAX_DEPTH", () => {
    expect(new Subject<number>().maxDepth).toBe(DEFAULT_MAX_DEPTH);
  });

  it("accepts Infinity as no limit", () => {
    expect(new Subject<number>({ maxDepth: Number.POSITIVE_INFINITY }).maxDepth).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects maxDepth %s with a RangeError naming it", (depth) => {
    expect(() => new Subject<number>({ maxDepth: depth })).toThrow(RangeError);
    expect(() => new Subject<number>({ maxDepth: depth })).toThrow(/`maxDepth` must be/);
  });

  it("rejects a maxDepth that is not a number with a TypeError", () => {
    expect(() => new Subject<number>({ maxDepth: "3" as unknown as number })).toThrow(
      new TypeError('`maxDepth` must be a number, got "3"'),
    );
  });

  it.each([
    [10n, "10n"],
    [true, "true"],
    [Symbol("depth"), "Symbol(depth)"],
    [() => 3, "a function"],
    [[3], "an array"],
    [new Map(), "an instance of Map"],
    [{ depth: 3 }, "an object"],
    [Object.create(null), "an object"],
    [Object.create(Object.create(null)), "an object"],
  ])("names a maxDepth of %o as %s in its TypeError", (depth, described) => {
    expect(() => new Subject<number>({ maxDepth: depth as unknown as number })).toThrow(
      new TypeError(`\`maxDepth\` must be a number, got ${described}`),
    );
  });

  it("rejects a compile mode that only converts to a known one", () => {
    expect(
      () => new Subject<number>({ compile: ["auto"] as unknown as SubjectOptions["compile"] }),
    ).toThrow(new TypeError('`compile` must be "auto", "eager" or "off", got an array'));
  });

  it("rejects an unknown compile mode with a TypeError naming it", () => {
    expect(
      () => new Subject<number>({ compile: "always" as unknown as SubjectOptions["compile"] }),
    ).toThrow(new TypeError('`compile` must be "auto", "eager" or "off", got "always"'));
    expect(
      () => new Subject<number>({ compile: "toString" as unknown as SubjectOptions["compile"] }),
    ).toThrow(TypeError);
  });
});

describe("compiled rounds (compile: auto)", () => {
  it("behave the same before and after the list is compiled", () => {
    const s = new Subject<number>();
    const calls: number[] = [];
    s.attach((v) => calls.push(v));
    for (let i = 0; i < COMPILE_AFTER_ROUNDS + 2; i++) s.notify(i);
    expect(calls).toEqual(Array.from({ length: COMPILE_AFTER_ROUNDS + 2 }, (_, i) => i));
  });

  it("pick up an observer attached after compiling", () => {
    const s = new Subject<number>();
    const calls: string[] = [];
    s.attach(() => calls.push("a"));
    for (let i = 0; i < COMPILE_AFTER_ROUNDS + 1; i++) s.notify(i);
    calls.length = 0;
    s.attach(() => calls.push("b"));
    s.notify(0);
    expect(calls).toEqual(["a", "b"]);
  });

  it("handle a list longer than MAX_COMPILED_OBSERVERS through the loop", () => {
    const s = new Subject<number>({ compile: "eager" });
    let calls = 0;
    for (let i = 0; i < MAX_COMPILED_OBSERVERS + 1; i++) s.attach(() => calls++);
    s.notify(1);
    s.notify(2);
    expect(calls).toBe(2 * (MAX_COMPILED_OBSERVERS + 1));
  });
});

describe("weak observers", () => {
  const gc = garbageCollector();

  /** Collects garbage until `done()` or a few rounds have passed; returns done(). */
  async function collect(done: () => boolean = () => false, rounds = 10): Promise<boolean> {
    for (let i = 0; i < rounds && !done(); i++) {
      await nextMacrotask(); // WeakRef targets read in this job stay alive until it ends
      gc();
      await nextMacrotask(); // FinalizationRegistry callbacks run as their own tasks
    }
    return done();
  }

  // Attached here so that, once this returns, the subject's WeakRef is the only reference.
  function attachDropped(s: Subject<number>, calls: number[], kind: "object" | "function") {
    const observer =
      kind === "object" ? { update: (v: number) => calls.push(v) } : (v: number) => calls.push(v);
    s.attach(observer, { weak: true });
  }

  it.each(["object", "function"] as const)(
    "collects a dropped weak %s observer and detaches it",
    async (kind) => {
      const s = new Subject<number>({ compile: "eager" });
      const calls: number[] = [];
      attachDropped(s, calls, kind);
      s.notify(1); // compiles a round that holds the entry, never the observer
      expect(await collect(() => s.size === 0)).toBe(true);
      s.notify(2);
      expect(calls).toEqual([1]);
    },
  );

  it("keeps notifying a weak observer that something else holds", async () => {
    const s = new Subject<number>();
    const calls: number[] = [];
    const held = { update: (v: number) => calls.push(v) };
    s.attach(held, { weak: true });
    await collect(undefined, 3);
    s.notify(1);
    expect(calls).toEqual([1]);
    expect(s.has(held)).toBe(true);
  });

  it("keeps a strong observer alive though nothing else holds it", async () => {
    const s = new Subject<number>();
    const calls: number[] = [];
    s.attach((v) => calls.push(v));
    await collect(undefined, 3);
    s.notify(1);
    expect(calls).toEqual([1]);
  });

  it("lets a weak observer with a signal be collected too", async () => {
    const s = new Subject<number>();
    const controller = new AbortController();
    (() => {
      s.attach({ update: () => {} }, { weak: true, signal: controller.signal });
    })();
    expect(await collect(() => s.size === 0)).toBe(true);
    controller.abort(); // nothing left to detach; must not throw
  });

  it("detaches a weak observer like any other", () => {
    const s = new Subject<number>();
    const held = { update: () => {} };
    s.attach(held, { weak: true });
    expect(s.detach(held)).toBe(true);
    expect(s.size).toBe(0);
    expect(s.has(held)).toBe(false);
  });

  it("skips and stops counting a collected weak observer at once, before it is detached", async () => {
    const s = new Subject<number>({ compile: "off" });
    const calls: number[] = [];
    const probe = (() => {
      const observer = (v: number) => calls.push(v);
      s.attach(observer, { weak: true });
      return new WeakRef(observer);
    })();
    // Collected in the same job as the checks below; the registry's cleanup runs in a later one.
    let collected = false;
    for (let i = 0; i < 10 && !collected; i++) {
      await nextMacrotask();
      gc();
      collected = probe.deref() === undefined;
    }

    expect(collected).toBe(true);
    expect(s.size).toBe(0);
    expect(() => s.notify(1)).not.toThrow();
    expect(calls).toEqual([]);
  });
});

describe("RecursionLimitError", () => {
  it("names itself and says what to do about it", () => {
    const error = new RecursionLimitError(3);

    expect(error.name).toBe("RecursionLimitError");
    expect(error.message).toBe(
      "notify() was nested more than 3 rounds deep: an observer keeps notifying the subject it " +
        "observes (raise maxDepth if the depth is intended)",
    );
  });
});

describe("ObserverError", () => {
  it.each([
    ["null", null, "observer { … }.update()"],
    ["a primitive", 42, "observer { … }.update()"],
    ["an object without a prototype", Object.create(null), "observer { … }.update()"],
    [
      "an object whose prototype has no constructor",
      Object.create(Object.create(null)),
      "observer { … }.update()",
    ],
  ])("names %s as well as it can", (_what, observer, named) => {
    expect(new ObserverError(observer, new Error("x")).message).toBe(`${named} threw: x`);
  });
});

/** Values whose properties cannot be read, or that are not errors at all: what a hostile observer throws. */
function hostileValues(): Array<[string, unknown]> {
  const badMessage = new Error("x");
  Object.defineProperty(badMessage, "message", {
    get() {
      throw new Error("message getter");
    },
  });
  const badName = new Error("x");
  Object.defineProperty(badName, "name", {
    get() {
      throw new Error("name getter");
    },
  });
  const trap = () => {
    throw new Error("trap");
  };
  const proxy = new Proxy(
    {},
    { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap },
  );
  return [
    ["an object without a prototype", Object.create(null)],
    ["an Error whose message getter throws", badMessage],
    ["an Error whose name getter throws", badName],
    ["a Proxy whose every trap throws", proxy],
    ["undefined", undefined],
  ];
}

describe.each([
  { mode: "the loop", compile: "off" },
  { mode: "a compiled round", compile: "eager" },
] as const)("a hostile thrown value, rounds run by $mode", ({ compile }) => {
  it.each(hostileValues())("does not skip the observers after one that throws %s", (_, value) => {
    const s = new Subject<number>({ compile });
    const calls: string[] = [];
    s.attach(() => calls.push("before"));
    s.attach(() => {
      throw value;
    });
    s.attach(() => calls.push("after"));

    const error = thrown(() => s.notify(1)) as AggregateError;

    expect(calls).toEqual(["before", "after"]);
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toBeInstanceOf(ObserverError);
    expect(Object.is((error.errors[0] as ObserverError).cause, value)).toBe(true);
  });

  it("describes what it cannot read with a fixed text", () => {
    const [, badMessage] = hostileValues()[1] as [string, unknown];
    expect(new ObserverError(() => {}, badMessage).message).toBe(
      "observer (anonymous)() threw: an Error whose message cannot be read",
    );
  });
});

describe("bad options", () => {
  it.each([null, 42, "x"])("new Subject(%o) throws the named TypeError", (options) => {
    expect(() => new Subject<number>(options as unknown as SubjectOptions)).toThrow(
      new TypeError(
        `\`options\` must be an object, got ${options === null ? "null" : JSON.stringify(options)}`,
      ),
    );
  });

  it.each([
    [null, "null"],
    [42, "42"],
    ["weak", '"weak"'],
  ])("attach(observer, %o) throws the named TypeError and attaches nothing", (options, named) => {
    const s = new Subject<number>();
    expect(() => s.attach(() => {}, options as unknown as AttachOptions)).toThrow(
      new TypeError(`\`options\` must be an object, got ${named}`),
    );
    expect(s.size).toBe(0);
  });
});

describe("a room of 20 000 (and 40 000) observers leaving", () => {
  /** A fixed shuffle, so that members leave in no particular order. */
  function shuffled(count: number): number[] {
    const order = Array.from({ length: count }, (_, i) => i);
    let seed = 7;
    for (let i = count - 1; i > 0; i--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  }

  it.each([20_000, 40_000])(
    "detaches %i observers with at most two sweep visits each, and no array search",
    (count) => {
      const s = new Subject<number>();
      const members = Array.from({ length: count }, () => () => {});
      const leave = members.map((fn) => s.attach(fn));
      const order = shuffled(count);
      const searches = { count: 0 };
      const { indexOf, lastIndexOf, splice, includes, findIndex } = Array.prototype;
      const counted = <F extends (...args: never[]) => unknown>(f: F) =>
        function (this: unknown[], ...args: Parameters<F>) {
          if (this.length > 100) searches.count++; // a pattern's few levels are no search
          return f.apply(this, args);
        };
      const before = sweepWork.visited;
      Object.assign(Array.prototype, {
        indexOf: counted(indexOf),
        lastIndexOf: counted(lastIndexOf),
        splice: counted(splice),
        includes: counted(includes),
        findIndex: counted(findIndex),
      });
      try {
        order.forEach((i, k) => {
          // Half by the detacher, half by detach(observer): both paths in constant time.
          if (k % 2 === 0) (leave[i] as () => boolean)();
          else s.detach(members[i] as () => void);
        });
      } finally {
        Object.assign(Array.prototype, { indexOf, lastIndexOf, splice, includes, findIndex });
      }

      expect(s.size).toBe(0);
      expect(searches.count).toBe(0);
      expect(sweepWork.visited - before).toBeLessThanOrEqual(2 * count);
    },
  );

  it("keeps the round rules while members leave and join mid-round", () => {
    const s = new Subject<number>({ compile: "off" });
    const calls: number[] = [];
    let leave: Array<() => boolean> = [];
    // A moderator, first in line, sends every even member away and lets a newcomer in.
    s.attach(() => {
      calls.push(-1);
      for (let i = 0; i < leave.length; i += 2) (leave[i] as () => boolean)();
      s.attach(() => calls.push(1000));
    });
    const members = Array.from({ length: 100 }, (_, i) => () => calls.push(i));
    leave = members.map((fn) => s.attach(fn));
    const odd = Array.from({ length: 50 }, (_, i) => 2 * i + 1);

    s.notify(1);
    expect(calls).toEqual([-1, ...odd]);

    calls.length = 0;
    s.notify(2);
    expect(calls).toEqual([-1, ...odd, 1000]);
    expect(s.size).toBe(1 + 50 + 2);
  });
});
