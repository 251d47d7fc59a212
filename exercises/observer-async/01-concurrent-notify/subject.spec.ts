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

  it("ignores detaching an observer that was never attached", async () => {
    const subject = new AsyncSubject<number>();
    const observer = vi.fn();
    subject.attach(observer);

    expect(() => subject.detach(() => {})).not.toThrow();
    await subject.notify(1);

    expect(observer).toHaveBeenCalledTimes(1);
  });
});
