/**
 * The event log's named errors: each class's `name`, its fields and its exact message in the house
 * template (`` `name` must be …, got … ``), and how `show()` quotes a refused value.
 */
import { describe, expect, it } from "vitest";
import {
  CorruptLogError,
  EventTooLargeError,
  EventTypeError,
  LogArgumentError,
  LogClosedError,
  show,
} from "./errors";

describe("show", () => {
  it("quotes strings and names what String() cannot show faithfully", () => {
    expect(show("a b")).toBe('"a b"');
    expect(show("")).toBe('""');
    expect(show(() => 1)).toBe("a function");
    expect(show(Symbol("tag"))).toBe("Symbol(tag)");
    expect(show(12n)).toBe("12n");
    expect(show(undefined)).toBe("undefined");
    expect(show(null)).toBe("null");
    expect(show(Number.NaN)).toBe("NaN");
    expect(show([1, 2])).toBe("1,2");
  });

  it("falls back to the object tag for a value String() throws on", () => {
    expect(show(Object.create(null))).toBe("[object Object]");
    const hostile = {
      toString() {
        throw new Error("no");
      },
    };
    expect(show(hostile)).toBe("[object Object]");
  });
});

describe("the event log's errors", () => {
  it("EventTypeError is a TypeError named for itself, with the refused event", () => {
    const error = new EventTypeError(undefined);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe("EventTypeError");
    expect(error.event).toBeUndefined();
    expect(error.message).toBe("`event` must be a JSON-serialisable value, got undefined");
  });

  it("EventTypeError adds its reason in parentheses", () => {
    const error = new EventTypeError(7n, "a bigint");
    expect(error.event).toBe(7n);
    expect(error.message).toBe("`event` must be a JSON-serialisable value, got 7n (a bigint)");
    expect(String(error)).toBe(
      "EventTypeError: `event` must be a JSON-serialisable value, got 7n (a bigint)",
    );
  });

  it("EventTooLargeError is a RangeError with the event's size and the limit", () => {
    const error = new EventTooLargeError(70, 64);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe("EventTooLargeError");
    expect([error.bytes, error.limit]).toEqual([70, 64]);
    expect(String(error)).toBe(
      "EventTooLargeError: `event` must be at most 64 bytes as JSON, got 70",
    );
  });

  it("LogArgumentError names the argument, what it must be and what it got", () => {
    const error = new LogArgumentError("consumer", "a non-empty string", "");
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe("LogArgumentError");
    expect(error.argument).toBe("consumer");
    expect(error.value).toBe("");
    expect(error.message).toBe('`consumer` must be a non-empty string, got ""');
    expect(String(error)).toBe('LogArgumentError: `consumer` must be a non-empty string, got ""');
  });

  it("CorruptLogError names the file, the byte and the reason", () => {
    const error = new CorruptLogError("/tmp/a.log", 13, "checksum mismatch");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("CorruptLogError");
    expect(error.path).toBe("/tmp/a.log");
    expect(error.position).toBe(13);
    expect(error.message).toBe("/tmp/a.log is corrupt at byte 13: checksum mismatch");
  });

  it("LogClosedError says the log is closed", () => {
    const error = new LogClosedError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("LogClosedError");
    expect(error.message).toBe("the event log is closed");
    expect(String(error)).toBe("LogClosedError: the event log is closed");
  });
});
