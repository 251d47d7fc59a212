/**
 * The one conformance suite every `EventLog` backend passes. A backend's spec calls
 * `eventLogConformance()` with a way to make a fresh, empty store; the suite opens it, closes it,
 * opens it again (a restart) and checks what the interface promises.
 */
import { afterEach, describe, expect, it } from "vitest";
import { EventTypeError, LogArgumentError, LogClosedError } from "./errors";
import { consume, type EventLog, type Json } from "./types";

/** A fresh, empty log store: `open()` may be called again after `close()` to simulate a restart. */
export interface LogStore {
  open(): Promise<EventLog<Json>>;
  /** Removes the store (files, stream key). */
  dispose(): Promise<void>;
}

export function eventLogConformance(backend: string, makeStore: () => Promise<LogStore>): void {
  describe(`${backend}: the EventLog contract`, () => {
    const opened: EventLog<Json>[] = [];
    let store: LogStore;
    const open = async () => {
      const log = await store.open();
      opened.push(log);
      return log;
    };
    const fresh = async () => {
      store = await makeStore();
      return open();
    };
    const reopen = async (log: EventLog<Json>) => {
      await log.close();
      return open();
    };
    const events = (records: { event: Json }[]) => records.map((r) => r.event);
    const appendAll = async (log: EventLog<Json>, values: Json[]) => {
      const offsets: string[] = [];
      for (const value of values) offsets.push(await log.append(value));
      return offsets;
    };

    afterEach(async () => {
      for (const log of opened.splice(0)) await log.close();
      await store.dispose();
    });

    it("replays appended events in order, each under the offset append() returned", async () => {
      const log = await fresh();
      const offsets = await appendAll(log, [{ n: 0 }, "one", 2, [3], null, true]);
      expect(new Set(offsets).size).toBe(6);
      const records = await log.read();
      expect(records).toEqual(
        [{ n: 0 }, "one", 2, [3], null, true].map((event, i) => ({ offset: offsets[i], event })),
      );
    });

    it("reads from an offset (inclusive), at most `limit` records", async () => {
      const log = await fresh();
      const offsets = await appendAll(log, [0, 1, 2, 3, 4]);
      expect(events(await log.read(offsets[2], 2))).toEqual([2, 3]);
      expect(events(await log.read(offsets[4]))).toEqual([4]);
      expect(events(await log.read(undefined, 1))).toEqual([0]);
    });

    it("keeps concurrent appends in the order of their offsets", async () => {
      const log = await fresh();
      const values = Array.from({ length: 25 }, (_, i) => ({ i }));
      const offsets = await Promise.all(values.map((v) => log.append(v)));
      const records = await log.read(undefined, 100);
      expect(records.map((r) => r.offset)).toEqual(offsets);
      expect(events(records)).toEqual(values);
    });

    it("replays the same events after a restart", async () => {
      let log = await fresh();
      const offsets = await appendAll(log, ["a", "b", "c"]);
      log = await reopen(log);
      expect(await log.read()).toEqual(
        ["a", "b", "c"].map((event, i) => ({ offset: offsets[i], event })),
      );
      const next = await log.append("d");
      expect(events(await log.read(next))).toEqual(["d"]);
      expect(events(await log.read())).toEqual(["a", "b", "c", "d"]);
    });

    it("keeps one position per consumer", async () => {
      const log = await fresh();
      await appendAll(log, [1, 2, 3]);
      const a = await log.poll("a");
      expect(events(a)).toEqual([1, 2, 3]);
      for (const r of a) await log.ack("a", r.offset);
      expect(events(await log.poll("b"))).toEqual([1, 2, 3]);
      expect(await log.poll("a")).toEqual([]);
      await log.append(4);
      expect(events(await log.poll("a"))).toEqual([4]);
      expect(events(await log.poll("b"))).toEqual([4]);
    });

    it("hands out at most `limit` records per poll, then the next ones", async () => {
      const log = await fresh();
      await appendAll(log, [0, 1, 2, 3, 4]);
      expect(events(await log.poll("a", 2))).toEqual([0, 1]);
      expect(events(await log.poll("a", 2))).toEqual([2, 3]);
      expect(events(await log.poll("a", 2))).toEqual([4]);
      expect(await log.poll("a", 2)).toEqual([]);
    });

    it("delivers unacknowledged events again after a restart, and acknowledged ones never", async () => {
      let log = await fresh();
      await appendAll(log, ["x", "y", "z"]);
      const first = await log.poll("worker");
      expect(events(first)).toEqual(["x", "y", "z"]);
      await log.ack("worker", first[1]?.offset ?? "");
      log = await reopen(log);
      const again = await log.poll("worker");
      expect(again).toEqual([first[0], first[2]]);
      expect(await log.poll("worker")).toEqual([]);
      for (const r of again) await log.ack("worker", r.offset);
      log = await reopen(log);
      expect(await log.poll("worker")).toEqual([]);
    });

    it("treats a second acknowledgement of the same event as a no-op", async () => {
      let log = await fresh();
      await appendAll(log, ["x", "y"]);
      const [x, y] = await log.poll("w");
      await log.ack("w", x?.offset ?? "");
      await log.ack("w", x?.offset ?? "");
      log = await reopen(log);
      await log.ack("w", x?.offset ?? "");
      expect(await log.poll("w")).toEqual([y]);
    });

    it("hands a consumer loop each event once and acknowledges it after the handler", async () => {
      let log = await fresh();
      await appendAll(log, [1, 2, 3]);
      const seen: Json[] = [];
      const failing = consume(log, "sum", (event) => {
        if (event === 3) throw new Error("boom");
        seen.push(event);
      });
      await expect(failing).rejects.toThrow("boom");
      log = await reopen(log);
      expect(await consume(log, "sum", (event) => void seen.push(event))).toBe(1);
      expect(seen).toEqual([1, 2, 3]);
    });

    it("refuses what JSON cannot carry, naming the argument", async () => {
      const log = await fresh();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const bad of [undefined, () => 1, Symbol("s"), 10n, Number.NaN, cyclic]) {
        const appended = log.append(bad as Json);
        await expect(appended).rejects.toBeInstanceOf(EventTypeError);
        await expect(appended).rejects.toThrow(/^`event` must be a JSON-serialisable value, got /);
      }
      await expect(log.append(undefined as unknown as Json)).rejects.toThrow(
        "`event` must be a JSON-serialisable value, got undefined",
      );
      await expect(log.append(undefined as unknown as Json)).rejects.toBeInstanceOf(TypeError);
      expect(await log.read()).toEqual([]);
    });

    it("refuses a bad consumer, offset or limit, naming the argument", async () => {
      const log = await fresh();
      await log.append(1);
      await expect(log.poll("")).rejects.toBeInstanceOf(LogArgumentError);
      await expect(log.poll("")).rejects.toThrow('`consumer` must be a non-empty string, got ""');
      await expect(log.poll(7 as unknown as string)).rejects.toThrow(
        "`consumer` must be a non-empty string, got 7",
      );
      await expect(log.ack("a", "nonsense")).rejects.toBeInstanceOf(LogArgumentError);
      await expect(log.ack("a", "nonsense")).rejects.toThrow(
        /^`offset` must be .*, got "nonsense"$/,
      );
      await expect(log.read("nonsense")).rejects.toThrow(/^`from` must be /);
      await expect(log.read(undefined, 0)).rejects.toThrow(
        "`limit` must be a whole number of at least 1, got 0",
      );
      await expect(log.poll("a", 1.5)).rejects.toThrow(
        "`limit` must be a whole number of at least 1, got 1.5",
      );
    });

    it("refuses use after close(), and close() twice is harmless", async () => {
      const log = await fresh();
      await log.close();
      await log.close();
      await expect(log.append(1)).rejects.toBeInstanceOf(LogClosedError);
      await expect(log.read()).rejects.toBeInstanceOf(LogClosedError);
      await expect(log.poll("a")).rejects.toBeInstanceOf(LogClosedError);
    });
  });
}
