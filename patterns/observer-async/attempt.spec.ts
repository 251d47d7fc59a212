/**
 * `attempt()`, the one call of a task or job that the task monitor and the job queue share: its
 * signal follows a parent signal, whether the parent aborts before or during the call.
 */
import { describe, expect, it } from "vitest";
import { attempt } from "./attempt";

describe("attempt", () => {
  it("hands work an already aborted signal when the parent signal was aborted before", async () => {
    const parent = new AbortController();
    parent.abort("stop");
    const seen = await attempt((signal) => ({ aborted: signal.aborted, reason: signal.reason }), {
      label: "task",
      signal: parent.signal,
    });
    expect(seen).toEqual({ aborted: true, reason: "stop" });
  });

  it("aborts the work's signal, with the parent's reason, when the parent aborts during the call", async () => {
    const parent = new AbortController();
    let inner: AbortSignal | undefined;
    const result = attempt(
      (signal) => {
        inner = signal;
        return new Promise<string>((resolve) => {
          signal.addEventListener("abort", () => resolve(`aborted: ${String(signal.reason)}`));
        });
      },
      { label: "task", signal: parent.signal },
    );
    expect(inner?.aborted).toBe(false);
    parent.abort("shutdown");
    await expect(result).resolves.toBe("aborted: shutdown");
  });
});
