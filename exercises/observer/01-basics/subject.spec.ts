import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { type Observer, Subject } from "./subject";

let subject: Subject<string>;
let calls: string[];

beforeEach(() => {
  subject = new Subject<string>();
  calls = [];
});

describe("attach() and notify()", () => {
  it("notifies a function observer with the value", () => {
    subject.attach((headline) => calls.push(headline));
    subject.notify("Observer pattern explained");
    expect(calls).toEqual(["Observer pattern explained"]);
  });

  it("calls update() on an object observer, with the object as this", () => {
    class EmailSubscriber {
      readonly inbox: string[] = [];
      update(headline: string) {
        this.inbox.push(headline);
      }
    }
    const subscriber = new EmailSubscriber();
    subject.attach(subscriber);
    subject.notify("New article");
    expect(subscriber.inbox).toEqual(["New article"]);
  });

  it("notifies observers in the order they were attached", () => {
    subject.attach((v) => calls.push(`email:${v}`));
    subject.attach({ update: (v) => calls.push(`sms:${v}`) });
    subject.attach((v) => calls.push(`log:${v}`));
    subject.notify("hi");
    expect(calls).toEqual(["email:hi", "sms:hi", "log:hi"]);
  });

  it("notifies every observer on every notify", () => {
    subject.attach((v) => calls.push(v));
    subject.notify("one");
    subject.notify("two");
    expect(calls).toEqual(["one", "two"]);
  });

  it("does nothing when no observer is attached", () => {
    expect(() => subject.notify("anyone?")).not.toThrow();
  });

  it("calls a function observer as a function, even one with an update property", () => {
    const observer = Object.assign((v: string) => calls.push(`called:${v}`), {
      update: (v: string) => calls.push(`update:${v}`),
    });
    subject.attach(observer);
    subject.notify("hi");
    expect(calls).toEqual(["called:hi"]);
  });

  it("notifies an object observer attached twice only once, and two equal objects each", () => {
    class SmsSubscriber {
      constructor(readonly phone: string) {}
      update(v: string) {
        calls.push(`${this.phone}:${v}`);
      }
    }
    const first = new SmsSubscriber("+1");
    subject.attach(first);
    subject.attach(new SmsSubscriber("+1"));
    subject.attach(first);
    subject.notify("hi");
    expect(calls).toEqual(["+1:hi", "+1:hi"]);
  });

  it("notifies an observer attached twice only once", () => {
    const email = (v: string) => calls.push(`email:${v}`);
    subject.attach(email);
    subject.attach((v) => calls.push(`sms:${v}`));
    subject.attach(email);
    subject.notify("hi");
    expect(calls).toEqual(["email:hi", "sms:hi"]);
  });
});

describe("detach()", () => {
  it("stops notifying a detached observer and returns true", () => {
    const email = (v: string) => calls.push(`email:${v}`);
    subject.attach(email);
    expect(subject.detach(email)).toBe(true);
    subject.notify("hi");
    expect(calls).toEqual([]);
  });

  it("keeps the remaining observers, in order", () => {
    const sms = (v: string) => calls.push(`sms:${v}`);
    subject.attach((v) => calls.push(`email:${v}`));
    subject.attach(sms);
    subject.attach((v) => calls.push(`log:${v}`));
    subject.detach(sms);
    subject.notify("hi");
    expect(calls).toEqual(["email:hi", "log:hi"]);
  });

  it("returns false and changes nothing for an observer that was never attached", () => {
    subject.attach((v) => calls.push(`email:${v}`));
    subject.attach((v) => calls.push(`sms:${v}`));
    expect(subject.detach(() => {})).toBe(false);
    subject.notify("hi");
    expect(calls).toEqual(["email:hi", "sms:hi"]);
  });

  it("detaches an object observer, and returns false the second time", () => {
    const sms = { update: (v: string) => calls.push(`sms:${v}`) };
    subject.attach(sms);
    subject.attach((v) => calls.push(`log:${v}`));
    expect(subject.detach(sms)).toBe(true);
    expect(subject.detach(sms)).toBe(false);
    subject.notify("hi");
    expect(calls).toEqual(["log:hi"]);
  });

  it("lets a detached observer be attached again, as the last one", () => {
    const email = (v: string) => calls.push(`email:${v}`);
    subject.attach(email);
    subject.attach((v) => calls.push(`sms:${v}`));
    subject.detach(email);
    subject.attach(email);
    subject.notify("hi");
    expect(calls).toEqual(["sms:hi", "email:hi"]);
  });
});

describe("attach() with something that is not an observer", () => {
  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
    ["a string", "update"],
    ["an object without update()", {}],
    ["an object whose update is not a function", { update: "soon" }],
  ])("rejects %s with a TypeError naming `observer`", (_, value) => {
    const attach = () => subject.attach(value as unknown as Observer<string>);
    expect(attach).toThrow(TypeError);
    expect(attach).toThrow(/`observer`/);
  });

  it("accepts exactly functions and objects with an update() function, whatever else it gets", () => {
    const candidate = fc.oneof(
      fc.anything({ key: fc.stringMatching(/^[a-z]{1,5}$/) }),
      fc.record({ update: fc.anything({ key: fc.stringMatching(/^[a-z]{1,5}$/) }) }),
      fc.constant({ update() {} }),
      fc.constant(() => {}),
    );
    fc.assert(
      fc.property(candidate, (value) => {
        const fresh = new Subject<string>();
        const ok =
          typeof value === "function" ||
          (typeof value === "object" &&
            value !== null &&
            typeof (value as { update?: unknown }).update === "function");
        let error: unknown;
        try {
          fresh.attach(value as Observer<string>);
        } catch (caught) {
          error = caught;
        }
        if (ok) expect(error).toBeUndefined();
        else {
          expect(error).toBeInstanceOf(TypeError);
          expect(String((error as Error).message)).toContain("`observer`");
          expect(() => fresh.notify("hi")).not.toThrow();
        }
      }),
      { numRuns: 200 },
    );
  });

  it("attaches nothing when it rejects", () => {
    expect(() => subject.attach({} as Observer<string>)).toThrow(TypeError);
    subject.attach((v) => calls.push(v));
    expect(() => subject.notify("hi")).not.toThrow();
    expect(calls).toEqual(["hi"]);
  });
});
