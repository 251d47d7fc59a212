import { setImmediate as nextMacrotask } from "node:timers/promises";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Subject } from "./subject";

// Forcing a garbage collection without command-line flags: allow gc() in new contexts, then
// fetch it from one.
let gc: () => void;
beforeAll(() => {
  v8.setFlagsFromString("--expose-gc");
  gc = runInNewContext("gc") as () => void;
});
afterAll(() => {
  v8.setFlagsFromString("--no-expose-gc");
});

/** Collects garbage, a few times, until `done()` holds (or gives up and returns false). */
async function collectGarbage(done: () => boolean = () => false, rounds = 10): Promise<boolean> {
  for (let i = 0; i < rounds && !done(); i++) {
    await nextMacrotask(); // a WeakRef target read in this task stays alive until the task ends
    gc();
    await nextMacrotask(); // FinalizationRegistry callbacks run in a task of their own
  }
  return done();
}

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
function attachForgotten(kind: "object" | "function"): void {
  const observer =
    kind === "object"
      ? { update: (v: string) => received.push(`forgotten:${v}`) }
      : (v: string) => received.push(`forgotten:${v}`);
  subject.attach(observer, { weak: true });
}

describe("a weak observer that something else holds", () => {
  it("is notified like any other", () => {
    const widget = { update: (v: string) => received.push(`widget:${v}`) };
    subject.attach(widget, { weak: true });
    subject.notify("hi");
    expect(received).toEqual(["widget:hi"]);
  });

  it("survives garbage collections and is still notified", async () => {
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
    async (kind) => {
      attachForgotten(kind);
      subject.notify("before");
      await collectGarbage(() => subject.size === 0);
      subject.notify("after");
      expect(received).toEqual(["forgotten:before"]);
    },
  );

  it("leaves the subject once collected: size drops back to 0", async () => {
    attachForgotten("object");
    expect(subject.size).toBe(1);
    expect(await collectGarbage(() => subject.size === 0)).toBe(true);
  });

  it("is collected while a strong observer beside it is kept alive by the subject", async () => {
    attachForgotten("object");
    subject.attach((v) => received.push(`strong:${v}`)); // held by nothing but the subject
    await collectGarbage(() => subject.size === 1);
    subject.notify("hi");
    expect(received).toEqual(["strong:hi"]);
    expect(subject.size).toBe(1);
  });
});
