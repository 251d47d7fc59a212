/**
 * The watchdog: student code must not take the runner down. vitest's `testTimeout` fails a test
 * whose promise never settles, but it is a timer in the test's own worker, and a synchronous
 * infinite loop never lets that timer fire: the run would hang for ever.
 *
 * So every worker of a kata session loads watchdog-setup.ts, which reports over a
 * BroadcastChannel which spec file and test it is running, and beats every 100 ms from a real
 * timer. A busy worker that stays silent for longer than the limit is blocked; the session then
 * stops the run (vitest terminates a worker on a second cancel, see session.ts), fails the test
 * that was running with a clear message, and runs the rest again. None of this costs anything
 * while nothing hangs.
 */
import { fileURLToPath } from "node:url";
import { BroadcastChannel } from "node:worker_threads";

/** What watchdog-setup.ts posts from the workers. */
export type WatchdogMessage =
  | { readonly thread: number; readonly kind: "beat" }
  | { readonly thread: number; readonly kind: "file"; readonly file: string }
  | {
      readonly thread: number;
      readonly kind: "test";
      readonly file: string;
      readonly test: string;
    };

/** A blocked worker: the spec module it was running and, if one had started, the test. */
export interface Hang {
  readonly moduleId: string;
  readonly testId: string | undefined;
  readonly silentMs: number;
}

/** The setup file every session's workers load. */
export const watchdogSetupFile = fileURLToPath(new URL("./watchdog-setup.ts", import.meta.url));

interface ThreadState {
  lastSign: number;
  moduleId: string | undefined;
  testId: string | undefined;
}

const CHECK_EVERY_MS = 100;

export class Watchdog {
  /** The channel's name; workers find it in `process.env.KATA_WATCHDOG`. */
  readonly name = `kata-watchdog-${process.pid}-${Math.random().toString(36).slice(2)}`;
  readonly #channel = new BroadcastChannel(this.name);
  readonly #threads = new Map<number, ThreadState>();
  #timer: NodeJS.Timeout | undefined;
  #lastCheck = 0;

  constructor(
    /** How long a busy worker may stay silent, in milliseconds. */
    readonly limitMs: number,
    private readonly onHang: (hang: Hang) => void,
  ) {
    (this.#channel as unknown as { unref(): void }).unref();
    this.#channel.onmessage = (event) => this.#receive((event as MessageEvent).data);
  }

  #receive(message: WatchdogMessage): void {
    const now = performance.now();
    const state = this.#threads.get(message.thread) ?? {
      lastSign: now,
      moduleId: undefined,
      testId: undefined,
    };
    state.lastSign = now;
    if (message.kind === "file") {
      state.moduleId = message.file;
      state.testId = undefined;
    } else if (message.kind === "test") {
      state.moduleId = message.file;
      state.testId = message.test;
    }
    this.#threads.set(message.thread, state);
  }

  /** A spec module finished: its worker is no longer busy with it. */
  finished(moduleId: string): void {
    for (const state of this.#threads.values()) {
      if (state.moduleId === moduleId) {
        state.moduleId = undefined;
        state.testId = undefined;
      }
    }
  }

  /** Watches the workers of one run, until `disarm()`. */
  arm(): void {
    this.#threads.clear();
    this.#lastCheck = performance.now();
    this.#timer = setInterval(() => this.#check(), CHECK_EVERY_MS);
    this.#timer.unref();
  }

  disarm(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#threads.clear();
  }

  #check(): void {
    const now = performance.now();
    // If this thread was itself starved (a busy machine), the workers' beats may be waiting in
    // the queue: judge nobody this time.
    const starved = now - this.#lastCheck > this.limitMs / 2;
    this.#lastCheck = now;
    for (const [thread, state] of this.#threads) {
      if (starved) state.lastSign = now;
      if (state.moduleId === undefined) continue;
      const silentMs = now - state.lastSign;
      if (silentMs > this.limitMs) {
        this.#threads.delete(thread);
        this.onHang({ moduleId: state.moduleId, testId: state.testId, silentMs });
      }
    }
  }

  close(): void {
    this.disarm();
    this.#channel.close();
  }
}
