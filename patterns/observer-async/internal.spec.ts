/**
 * The shared helpers' promises the other specs reach only in passing: what an error message says
 * about a thrown value or a callable, the refusals of bad options by name, and that logging and
 * reporting an unpublished event never throw.
 */
import { describe, expect, it, vi } from "vitest";
import {
  checkCount,
  checkDuration,
  checkSignal,
  describeCallable,
  describeError,
  isAbortSignal,
  log,
  MAX_DELAY,
  reportUnpublished,
} from "./internal";

/** A Proxy that throws on everything `instanceof` and property reads do. */
const hostile = new Proxy(
  {},
  {
    getPrototypeOf() {
      throw new Error("no prototype");
    },
    get() {
      throw new Error("no property");
    },
  },
);

describe("describeError", () => {
  it("uses an Error's message only when it is a string, and describes anything else", () => {
    expect(describeError(new Error("boom"))).toBe("boom");
    expect(describeError("plain")).toBe("plain");
    // Not an Error, although it has a message.
    expect(describeError({ message: "looks like one" })).toBe("an object");
    // An Error whose message is not a string.
    const odd = new Error("x");
    Object.defineProperty(odd, "message", { value: 42 });
    expect(describeError(odd)).toBe("an instance of Error");
  });
});

describe("describeCallable", () => {
  it("quotes a named function or class instance, and says what it is otherwise", () => {
    expect(describeCallable(function save() {})).toBe('"save"');
    expect(describeCallable(new (class Mailer {})())).toBe('"Mailer"');
    expect(describeCallable({})).toBe("(object)");
    // A constructor with an empty name is as good as none.
    expect(describeCallable({ constructor: { name: "" } })).toBe("(object)");
    expect(describeCallable(Object.create(null))).toBe("(object)");
  });

  it("never throws: an object whose constructor cannot be read is unreadable", () => {
    const throwing = {
      get constructor(): never {
        throw new Error("no constructor");
      },
    };
    expect(describeCallable(throwing)).toBe("(unreadable)");
  });
});

describe("isAbortSignal and checkSignal", () => {
  it("answers false for a Proxy that throws, and refuses it by name", () => {
    expect(isAbortSignal(new AbortController().signal)).toBe(true);
    expect(isAbortSignal(hostile)).toBe(false);
    expect(() => checkSignal("options.signal", hostile)).toThrow(TypeError);
  });
});

describe("checkCount", () => {
  it("refuses a number given as a string with a TypeError", () => {
    expect(() => checkCount("concurrency", "3", 1)).toThrow(
      new TypeError('`concurrency` must be a whole number of at least 1, got "3"'),
    );
  });
});

describe("checkDuration", () => {
  it("takes 0 only with allowZero, and never a negative delay", () => {
    expect(checkDuration("delay", 0, true)).toBe(0);
    expect(checkDuration("delay", 5, true)).toBe(5);
    expect(() => checkDuration("delay", -1, true)).toThrow(
      new RangeError(
        `\`delay\` must be a number of milliseconds from 0 up to ${MAX_DELAY}, got -1`,
      ),
    );
    expect(() => checkDuration("timeout", 0)).toThrow(
      new RangeError(
        `\`timeout\` must be a number of milliseconds above 0 up to ${MAX_DELAY}, got 0`,
      ),
    );
  });

  it("takes MAX_DELAY itself, and refuses one millisecond more", () => {
    expect(checkDuration("timeout", MAX_DELAY)).toBe(MAX_DELAY);
    expect(() => checkDuration("timeout", MAX_DELAY + 1)).toThrow(RangeError);
  });
});

describe("log", () => {
  it("retries with described values when console.error throws on a hostile value", () => {
    const error = vi.spyOn(console, "error").mockImplementationOnce(() => {
      throw new Error("cannot print that");
    });
    log("something failed:", new Error("boom"));
    expect(error).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenLastCalledWith("something failed:", "boom");
  });

  it("never throws, even when console.error always does", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {
      throw new Error("cannot print at all");
    });
    expect(() => log("something failed:", 1)).not.toThrow();
    expect(error).toHaveBeenCalledTimes(2);
  });
});

describe("reportUnpublished", () => {
  it("hands the failure, wrapped in an AggregateError, and the event to onError", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const onError = vi.fn();
    const cause = new Error("queue full");
    reportUnpublished(onError, cause, { n: 1 });
    expect(onError).toHaveBeenCalledTimes(1);
    const [failure, event] = onError.mock.calls[0] as [AggregateError, unknown];
    expect(failure).toBeInstanceOf(AggregateError);
    expect(failure.message).toBe("an event could not be published to observers");
    expect(failure.errors).toEqual([cause]);
    expect(event).toEqual({ n: 1 });
    expect(error).not.toHaveBeenCalled();
  });

  it("logs the failure to the console without onError", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    reportUnpublished(undefined, new Error("queue full"), { n: 1 });
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(
      "AsyncSubject: an event could not be published:",
      expect.any(AggregateError),
    );
  });

  it("logs an onError that throws, with what it threw and the failure", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const thrown = new Error("handler broke");
    reportUnpublished(
      () => {
        throw thrown;
      },
      new Error("queue full"),
      { n: 1 },
    );
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(
      "AsyncSubject: onError threw while reporting an unpublished event",
      thrown,
      expect.any(AggregateError),
    );
  });
});
