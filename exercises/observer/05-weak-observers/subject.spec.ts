import { setImmediate as nextMacrotask } from "node:timers/promises";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Subject } from "./subject";

// Forcing a garbage collection without command-line flags: allow gc() in new contexts, then
// fetch it from one. A full collection walks the whole heap, so verify runs this file in a fresh
// process of its own (@kata-own-process), as the kata always does.
let gc: () => void;
beforeAll(() => {
  v8.setFlagsFromString("--expose-gc");
  gc = runInNewContext("gc") as () => void;
});
afterAll(() => {
  v8.setFlagsFromString("--no-expose-gc");
});

/**
 * Collects garbage until `done()` holds, or gives up and returns false. Each round awaits ticks on
 * both sides of the collection: a WeakRef target read in a task stays alive until the task ends,
 * and FinalizationRegistry callbacks run in tasks of their own, which a busy machine may run a few
 * ticks late. A sentinel forgotten here says when to give up: once its own clean-up has run, what
 * was forgotten before this call has been collected and its clean-up queued, so a few more rounds
 * settle it; an observer still there after them is held. Rounds are counted, never timed.
 */
async function collectGarbage(done: () => boolean = () => false, rounds = 40): Promise<boolean> {
  let sentinelSwept = false;
  const sentinel = new FinalizationRegistry(() => {
    sentinelSwept = true;
  });
  const token = {};
  sentinel.register({}, undefined, token);
  for (let i = 0, settling = 0; i < rounds && settling < 3 && !done(); i++) {
    await nextMacrotask();
    gc();
    await nextMacrotask();
    await nextMacrotask();
    if (sentinelSwept) settling++;
  }
  // Keeps the registry alive to the end: a collected registry runs no clean-up (all 40 rounds).
  sentinel.unregister(token);
  return done();
}

/** Forced collections are slow on a loaded machine: room for all rounds, not a deadline. */
const GC_TEST = { timeout: 120_000 };

let subject: Subject<string>;
let received: string[];

beforeEach(() => {
  subject = new Subject<string>();
  received = [];
});

/**
 * Attaches a weak observer and returns without keeping it: once this function has returned, the
 * subject's weak reference is the only way to reach the observer. (It pushes into `received`,
 * which the test holds; that link points from the observer to the array, not back.)
 */
function attachForgotten(kind: "object" | "function" | "class instance", tag = "forgotten"): void {
  class Widget {
    update(v: string): void {
      received.push(`${tag}:${v}`);
    }
  }
  const observer =
    kind === "object"
      ? { update: (v: string) => received.push(`${tag}:${v}`) }
      : kind === "function"
        ? (v: string) => received.push(`${tag}:${v}`)
        : new Widget();
  subject.attach(observer, { weak: true });
}

describe("a weak observer that something else holds", () => {
  it("is notified like any other", () => {
    const widget = { update: (v: string) => received.push(`widget:${v}`) };
    subject.attach(widget, { weak: true });
    subject.notify("hi");
    expect(received).toEqual(["widget:hi"]);
  });

  it("survives garbage collections and is still notified", GC_TEST, async () => {
    const widget = { update: (v: string) => received.push(`widget:${v}`) };
    subject.attach(widget, { weak: true });
    await collectGarbage(undefined, 3);
    subject.notify("after gc");
    expect(received).toEqual(["widget:after gc"]);
    expect(subject.size).toBe(1);
  });

  it("can be detached, and is attached only once", () => {
    const widget = { update: (v: string) => received.push(`widget:${v}`) };
    subject.attach(widget, { weak: true });
    subject.attach(widget, { weak: true });
    subject.notify("once");
    expect(subject.detach(widget)).toBe(true);
    subject.notify("gone");
    expect(received).toEqual(["widget:once"]);
  });
});

describe("a weak observer that nothing else holds", () => {
  it.each(["object", "function"] as const)(
    "is garbage-collected: a forgotten %s observer is no longer notified",
    GC_TEST,
    async (kind) => {
      attachForgotten(kind);
      subject.notify("before");
      await collectGarbage(() => subject.size === 0);
      subject.notify("after");
      expect(received).toEqual(["forgotten:before"]);
    },
  );

  it("leaves the subject once collected: size drops back to 0", GC_TEST, async () => {
    attachForgotten("object");
    expect(subject.size).toBe(1);
    expect(await collectGarbage(() => subject.size === 0)).toBe(true);
  });

  it(
    "is collected while a strong observer beside it is kept alive by the subject",
    GC_TEST,
    async () => {
      attachForgotten("object");
      subject.attach((v) => received.push(`strong:${v}`)); // held by nothing but the subject
      await collectGarbage(() => subject.size === 1);
      subject.notify("hi");
      expect(received).toEqual(["strong:hi"]);
      expect(subject.size).toBe(1);
    },
  );
});

describe("weak observers of every kind that something else holds", () => {
  class Display {
    readonly seen: string[] = [];
    update(v: string): void {
      this.seen.push(v); // `this` is the display: it is called as a method
    }
  }

  it(
    "notifies a held object, class instance and function, before and after collections",
    GC_TEST,
    async () => {
      const object = { update: (v: string) => received.push(`object:${v}`) };
      const display = new Display();
      const fn = (v: string) => received.push(`function:${v}`);
      subject.attach(object, { weak: true });
      subject.attach(display, { weak: true });
      subject.attach(fn, { weak: true });
      subject.notify("1");
      await collectGarbage(undefined, 3);
      subject.notify("2");
      expect(received).toEqual(["object:1", "function:1", "object:2", "function:2"]);
      expect(display.seen).toEqual(["1", "2"]);
      expect(subject.size).toBe(3);
    },
  );

  it("detaches each kind once: detach() is true, then false", () => {
    const display = new Display();
    const fn = (v: string) => received.push(`function:${v}`);
    subject.attach(display, { weak: true });
    subject.attach(fn, { weak: true });
    expect(subject.detach(display)).toBe(true);
    expect(subject.detach(display)).toBe(false);
    expect(subject.detach(fn)).toBe(true);
    expect(subject.detach(fn)).toBe(false);
    subject.notify("gone");
    expect(received).toEqual([]);
    expect(display.seen).toEqual([]);
    expect(subject.size).toBe(0);
  });
});

describe("collection removes the collected observer only", () => {
  it.each(["object", "function", "class instance"] as const)(
    "collects a forgotten %s observer and leaves the subject's size at 0",
    GC_TEST,
    async (kind) => {
      attachForgotten(kind);
      expect(await collectGarbage(() => subject.size === 0)).toBe(true);
      subject.notify("after");
      expect(received).toEqual([]);
    },
  );

  it(
    "keeps a held weak observer when a forgotten one beside it is collected",
    GC_TEST,
    async () => {
      const widget = { update: (v: string) => received.push(`widget:${v}`) };
      attachForgotten("object");
      subject.attach(widget, { weak: true });
      expect(await collectGarbage(() => subject.size === 1)).toBe(true);
      await collectGarbage(undefined, 2);
      subject.notify("hi");
      expect(received).toEqual(["widget:hi"]);
      expect(subject.size).toBe(1);
    },
  );

  it("drops the right ref after an observer attached before it was detached", GC_TEST, async () => {
    const first = (v: string) => received.push(`first:${v}`);
    const last = { update: (v: string) => received.push(`last:${v}`) };
    subject.attach(first);
    attachForgotten("object");
    subject.attach(last, { weak: true });
    expect(subject.detach(first)).toBe(true);
    expect(await collectGarbage(() => subject.size === 1)).toBe(true);
    subject.notify("hi");
    expect(received).toEqual(["last:hi"]);
  });

  it(
    "collects a second forgotten observer after the first one was collected",
    GC_TEST,
    async () => {
      subject.attach((v) => received.push(`strong:${v}`));
      attachForgotten("object", "first");
      expect(await collectGarbage(() => subject.size === 1)).toBe(true);
      attachForgotten("function", "second");
      subject.notify("between");
      expect(await collectGarbage(() => subject.size === 1)).toBe(true);
      subject.notify("after");
      expect(received).toEqual(["strong:between", "second:between", "strong:after"]);
    },
  );

  it("notifies a weak observer re-attached after a detach, once", GC_TEST, async () => {
    const widget = { update: (v: string) => received.push(`widget:${v}`) };
    subject.attach(widget, { weak: true });
    subject.detach(widget);
    subject.attach(widget, { weak: true });
    subject.notify("back");
    expect(received).toEqual(["widget:back"]);
    expect(subject.size).toBe(1);
  });
});

describe("attach() and detach() with weak observers", () => {
  it("rejects a value that is not an observer with a TypeError, weak or not", () => {
    const widget = { update: (v: string) => received.push(`widget:${v}`) };
    subject.attach(widget, { weak: true });
    for (const value of [null, undefined, 0, "update", {}, { update: "no" }]) {
      for (const weak of [true, false]) {
        let error: unknown;
        try {
          subject.attach(value as never, { weak });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(TypeError);
        expect((error as TypeError).message).toContain("observer");
      }
    }
    subject.notify("hi");
    expect(received).toEqual(["widget:hi"]);
    expect(subject.size).toBe(1);
  });

  it("detaches one weak observer and keeps the others; an unknown one is not detached", () => {
    const first = { update: (v: string) => received.push(`first:${v}`) };
    const second = (v: string) => received.push(`second:${v}`);
    subject.attach(first, { weak: true });
    subject.attach(second, { weak: true });
    expect(subject.detach(() => {})).toBe(false);
    expect(subject.detach(first)).toBe(true);
    subject.notify("hi");
    expect(received).toEqual(["second:hi"]);
    expect(subject.size).toBe(1);
  });

  it(
    "calls nobody and throws nothing when notified between a collection and the clean-up",
    GC_TEST,
    async () => {
      attachForgotten("object");
      for (let i = 0; i < 40 && subject.size > 0; i++) {
        await nextMacrotask();
        gc(); // the registry's clean-up runs in a later task: this notify comes before it
        expect(() => subject.notify("between")).not.toThrow();
      }
      expect(subject.size).toBe(0);
      expect(received).toEqual([]);
    },
  );
});
