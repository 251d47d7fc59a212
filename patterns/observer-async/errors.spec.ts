/**
 * The error classes' promises that the specs of the subject, the monitor and the queues only touch
 * in passing: each class's `name`, its exact message, and the original error kept as `cause`.
 */
import { describe, expect, it } from "vitest";
import { ObserverError, RecursionLimitError, RemoteJobError } from "./errors";

describe("ObserverError", () => {
  it("names the observer and its failure, and keeps what it threw as the standard cause", () => {
    const cause = new Error("disk full");
    function save() {}
    const error = new ObserverError(save, cause);
    expect(error.name).toBe("ObserverError");
    expect(error.message).toBe('observer "save" failed: disk full');
    expect(error.observer).toBe(save);
    expect(error.cause).toBe(cause);
  });
});

describe("RecursionLimitError", () => {
  it("says how deep publishing went and what to do about it", () => {
    const error = new RecursionLimitError(8);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("RecursionLimitError");
    expect(error.maxDepth).toBe(8);
    expect(error.message).toBe(
      "publish() or notify() was nested more than 8 rounds deep: an observer keeps publishing " +
        "to the subject it observes (raise maxDepth if the depth is intended)",
    );
  });
});

describe("RemoteJobError", () => {
  it("carries the original's message, name and stack from the worker", () => {
    const error = new RemoteJobError("TypeError", "bad input", "TypeError: bad input\n    at x");
    expect(error.name).toBe("RemoteJobError");
    expect(error.message).toBe("bad input");
    expect(error.remoteName).toBe("TypeError");
    expect(error.remoteStack).toBe("TypeError: bad input\n    at x");
    expect(new RemoteJobError("Error", "lost").remoteStack).toBeUndefined();
  });
});
