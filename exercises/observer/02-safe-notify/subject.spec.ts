import { beforeEach, describe, expect, it } from "vitest";
import { ObserverError, Subject } from "./subject";

let subject: Subject<string>;
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

const boom = (message: string) => () => {
  throw new Error(message);
};

beforeEach(() => {
  subject = new Subject<string>();
  calls = [];
});

describe("notify() when no observer throws", () => {
  it("calls every observer and returns normally", () => {
    subject.attach((v) => calls.push(`email:${v}`));
    subject.attach((v) => calls.push(`sms:${v}`));
    expect(() => subject.notify("hi")).not.toThrow();
    expect(calls).toEqual(["email:hi", "sms:hi"]);
  });
});

describe("notify() when an observer throws", () => {
  it("still calls every observer after the one that threw", () => {
    subject.attach((v) => calls.push(`email:${v}`));
    subject.attach(boom("SMS gateway down"));
    subject.attach((v) => calls.push(`log:${v}`));
    thrownBy(() => subject.notify("hi"));
    expect(calls).toEqual(["email:hi", "log:hi"]);
  });

  it("throws an AggregateError once the round is over", () => {
    subject.attach(boom("SMS gateway down"));
    subject.attach((v) => calls.push(`log:${v}`));
    const error = thrownBy(() => subject.notify("hi"));
    expect(error).toBeInstanceOf(AggregateError);
    expect(calls).toEqual(["log:hi"]);
  });

  it("wraps the failure in an ObserverError with the observer and the original error as cause", () => {
    const original = new Error("SMS gateway down");
    const sms = {
      update() {
        throw original;
      },
    };
    subject.attach(sms);
    const error = thrownBy(() => subject.notify("hi")) as AggregateError;
    expect(error.errors).toHaveLength(1);
    const [failure] = error.errors;
    expect(failure).toBeInstanceOf(ObserverError);
    expect(failure.observer).toBe(sms);
    expect(failure.cause).toBe(original);
  });

  it("reports every failure, in attach order", () => {
    const email = boom("SMTP timeout");
    const sms = boom("SMS gateway down");
    subject.attach(email);
    subject.attach((v) => calls.push(v));
    subject.attach(sms);
    const error = thrownBy(() => subject.notify("hi")) as AggregateError;
    expect(error.errors.map((e: ObserverError) => e.observer)).toEqual([email, sms]);
    expect(error.errors.map((e: ObserverError) => (e.cause as Error).message)).toEqual([
      "SMTP timeout",
      "SMS gateway down",
    ]);
  });

  it("keeps what was thrown as the cause, even when it is not an Error", () => {
    subject.attach(() => {
      throw "no signal";
    });
    const error = thrownBy(() => subject.notify("hi")) as AggregateError;
    expect(error.errors[0]).toBeInstanceOf(ObserverError);
    expect(error.errors[0].cause).toBe("no signal");
  });

  it("keeps a failing observer attached: it runs again in the next round", () => {
    let attempts = 0;
    subject.attach(() => {
      attempts++;
      throw new Error("still down");
    });
    thrownBy(() => subject.notify("one"));
    thrownBy(() => subject.notify("two"));
    expect(attempts).toBe(2);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["0", 0],
    ['""', ""],
    ["false", false],
  ])("reports a failure thrown as %s too, with exactly that cause", (_, thrown) => {
    const failing = () => {
      throw thrown;
    };
    subject.attach(failing);
    subject.attach((v) => calls.push(v));
    const error = thrownBy(() => subject.notify("hi")) as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toBeInstanceOf(ObserverError);
    expect(error.errors[0].observer).toBe(failing);
    expect(error.errors[0].cause).toBe(thrown);
    expect(calls).toEqual(["hi"]);
  });

  it("calls a class observer's update() with the object as this, even after another threw", () => {
    class FileLogger {
      readonly lines: string[] = [];
      update(v: string) {
        this.lines.push(v);
      }
    }
    const logger = new FileLogger();
    subject.attach(boom("SMS gateway down"));
    subject.attach(logger);
    thrownBy(() => subject.notify("hi"));
    expect(logger.lines).toEqual(["hi"]);
  });
});

describe("the round after a failed one", () => {
  it("returns normally when nothing fails any more", () => {
    let down = true;
    subject.attach(() => {
      if (down) throw new Error("SMS gateway down");
    });
    subject.attach((v) => calls.push(v));
    thrownBy(() => subject.notify("one"));
    down = false;
    expect(() => subject.notify("two")).not.toThrow();
    expect(calls).toEqual(["one", "two"]);
  });

  it("reports only its own failures, in a new AggregateError", () => {
    const first = new Error("first round");
    const second = new Error("second round");
    let next: Error = first;
    const sms = () => {
      throw next;
    };
    subject.attach(sms);
    const one = thrownBy(() => subject.notify("one")) as AggregateError;
    next = second;
    const two = thrownBy(() => subject.notify("two")) as AggregateError;
    expect(two).toBeInstanceOf(AggregateError);
    expect(two).not.toBe(one);
    expect(two.errors.map((e: ObserverError) => e.cause)).toEqual([second]);
    expect(one.errors.map((e: ObserverError) => e.cause)).toEqual([first]);
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
    subject.notify("hi");
    expect(calls).toEqual([`kept:${"hi"}`]);
  });

  it("attaches an observer once, and detach() says whether it was attached", () => {
    const first = (v: unknown) => calls.push(`first:${v}`);
    const second = { update: (v: unknown) => calls.push(`second:${v}`) };
    subject.attach(first);
    subject.attach(first);
    subject.attach(second);
    subject.attach(second);
    subject.notify("hi");
    expect(subject.detach(first)).toBe(true);
    expect(subject.detach(first)).toBe(false);
    expect(subject.detach(() => {})).toBe(false);
    subject.notify("hi");
    expect(calls).toEqual([`first:${"hi"}`, `second:${"hi"}`, `second:${"hi"}`]);
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
    const error = thrownBy(() => subject.notify("hi")) as AggregateError;
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
      const error = thrownBy(() => fresh.notify("hi")) as AggregateError;
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
    const error = thrownBy(() => subject.notify("hi")) as AggregateError;
    expect(error.errors[0]).toBeInstanceOf(Error);
    expect((error.errors[0] as Error).name).toBe("ObserverError");
  });
});
