/**
 * Loaded by vitest before each spec file of a kata session (`setupFiles`, see watchdog.ts). It
 * tells the watchdog which file and which test this worker is running, and beats every 100 ms from
 * a real timer: a worker caught in an infinite loop falls silent, and the watchdog stops it.
 */
import { setInterval } from "node:timers";
import { BroadcastChannel, threadId } from "node:worker_threads";
import { beforeEach, expect } from "vitest";
import type { WatchdogMessage } from "./watchdog";

const name = process.env.KATA_WATCHDOG;
const slot = globalThis as { __kataWatchdog?: BroadcastChannel };

if (name) {
  // Setup files run again before every spec file; the channel and the beat are made once per
  // worker. `node:timers` is not what vi.useFakeTimers() replaces, so the beat stays real.
  if (!slot.__kataWatchdog) {
    const channel = new BroadcastChannel(name);
    (channel as BroadcastChannel & { unref(): void }).unref();
    const beat: WatchdogMessage = { thread: threadId, kind: "beat" };
    setInterval(() => channel.postMessage(beat), 100).unref();
    slot.__kataWatchdog = channel;
  }
  const channel = slot.__kataWatchdog;
  const post = (message: WatchdogMessage) => channel.postMessage(message);
  post({ thread: threadId, kind: "file", file: expect.getState().testPath ?? "" });
  beforeEach(({ task }) => {
    post({ thread: threadId, kind: "test", file: task.file.filepath, test: task.id });
  });
}
