import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsyncSubject } from "./subject";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Watches a promise without awaiting it: has it settled yet? */
function track(promise: Promise<unknown>) {
  const state = { settled: false };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("notify() runs observers concurrently", () => {
  it("finishes ten one-second observers in one second, not ten", async () => {
    const subject = new AsyncSubject<string>();
    const finished: number[] = [];
    for (let i = 0; i < 10; i++) {
      subject.attach(async () => {
        await sleep(1000);
        finished.push(i);
      });
    }

    const round = track(subject.notify("new article"));
    await vi.advanceTimersByTimeAsync(1000);

    expect(finished).toHaveLength(10);
    expect(round.settled).toBe(true);
  });

  it("starts every observer at once, before any of them finishes", async () => {
    const subject = new AsyncSubject<string>();
    const startedAt: number[] = [];
    for (let i = 0; i < 3; i++) {
      subject.attach(async () => {
        startedAt.push(Date.now());
        await sleep(1000);
      });
    }
    const start = Date.now();

    const round = subject.notify("x");
    await vi.advanceTimersByTimeAsync(3000);
    await round;

    expect(startedAt).toEqual([start, start, start]);
  });

  it("does not settle before its slowest observer has finished", async () => {
    const subject = new AsyncSubject<string>();
    subject.attach(() => sleep(100));
    subject.attach(() => sleep(500));

    const round = track(subject.notify("x"));
    await vi.advanceTimersByTimeAsync(499);
    expect(round.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(round.settled).toBe(true);
  });

  it("passes the value to every observer", async () => {
    const subject = new AsyncSubject<{ title: string }>();
    const email = vi.fn();
    const sms = vi.fn(async () => {});
    subject.attach(email);
    subject.attach(sms);
    const article = { title: "Observer pattern" };

    await subject.notify(article);

    expect(email).toHaveBeenCalledWith(article);
    expect(sms).toHaveBeenCalledWith(article);
    expect(email.mock.calls[0]?.[0]).toBe(article);
  });

  it("waits for synchronous and asynchronous observers alike, and resolves to undefined", async () => {
    const subject = new AsyncSubject<number>();
    const seen: string[] = [];
    subject.attach((n) => {
      seen.push(`sync ${n}`);
    });
    subject.attach(async (n) => {
      await sleep(10);
      seen.push(`async ${n}`);
    });

    const round = subject.notify(1);
    await vi.advanceTimersByTimeAsync(10);

    await expect(round).resolves.toBeUndefined();
    expect(seen).toEqual(["sync 1", "async 1"]);
  });

  it("resolves at once when no observer is attached", async () => {
    const subject = new AsyncSubject<number>();

    const round = track(subject.notify(1));
    await vi.advanceTimersByTimeAsync(0);

    expect(round.settled).toBe(true);
  });
});

describe("attach() and detach()", () => {
  it("notifies an observer attached twice only once", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);
    subject.attach(observer);

    await subject.notify(1);

    expect(observer).toHaveBeenCalledTimes(1);
  });

  it("stops notifying a detached observer", async () => {
    const subject = new AsyncSubject<number>();
    const stays = vi.fn();
    const leaves = vi.fn();
    subject.attach(stays);
    subject.attach(leaves);

    subject.detach(leaves);
    await subject.notify(1);

    expect(stays).toHaveBeenCalledTimes(1);
    expect(leaves).not.toHaveBeenCalled();
  });

  it("notifies two different observers that look alike", async () => {
    const subject = new AsyncSubject<number>();
    const seen: string[] = [];
    const logTo = (name: string) => (n: number) => {
      seen.push(`${name} ${n}`);
    };
    subject.attach(logTo("first"));
    subject.attach(logTo("second"));

    await subject.notify(1);

    expect(seen.sort()).toEqual(["first 1", "second 1"]);
  });

  it("stops notifying an observer attached twice once it is detached", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);
    subject.attach(observer);

    subject.detach(observer);
    await subject.notify(1);

    expect(observer).not.toHaveBeenCalled();
  });

  it("notifies an observer again once it is attached again after a detach", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);
    subject.detach(observer);

    subject.attach(observer);
    await subject.notify(1);

    expect(observer).toHaveBeenCalledExactlyOnceWith(1);
  });

  it("ignores detaching an observer that was never attached", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);

    expect(() => subject.detach(() => {})).not.toThrow();
    await subject.notify(1);

    expect(observer).toHaveBeenCalledTimes(1);
  });
});

describe("the observer set changing during a round", () => {
  it("calls an observer attached during a round from the next round on", async () => {
    const subject = new AsyncSubject<number>();
    const late = vi.fn();
    subject.attach(() => {
      subject.attach(late);
    });

    await subject.notify(1);
    expect(late).not.toHaveBeenCalled();

    await subject.notify(2);
    expect(late).toHaveBeenCalledExactlyOnceWith(2);
  });

  it("no longer calls an observer that detached itself during an earlier round", async () => {
    const subject = new AsyncSubject<number>();
    const calls: number[] = [];
    const once = async (n: number) => {
      await sleep(10);
      calls.push(n);
      subject.detach(once);
    };
    subject.attach(once);

    const first = subject.notify(1);
    await vi.advanceTimersByTimeAsync(10);
    await first;
    await subject.notify(2);

    expect(calls).toEqual([1]);
  });
});
