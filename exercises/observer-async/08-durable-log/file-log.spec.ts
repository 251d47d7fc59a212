import { Buffer } from "node:buffer";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CorruptLogError,
  EventTypeError,
  FileLog,
  HEADER,
  type Json,
  LogArgumentError,
  LogClosedError,
} from "./file-log";

let dir: string;
let opened: FileLog[];
let files = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kata-durable-log-"));
  opened = [];
});

afterEach(async () => {
  for (const log of opened) await log.close().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

/** A fresh file name in the temporary folder. */
const freshPath = () => join(dir, `events-${++files}.log`);
/** Opens a log and remembers to close it after the test. */
async function openLog(path: string): Promise<FileLog> {
  const log = await FileLog.open(path);
  opened.push(log);
  return log;
}
/** Closes `log` and opens its file again: a restart. */
async function reopen(log: FileLog, path: string): Promise<FileLog> {
  await log.close();
  return openLog(path);
}
/** What `promise` rejected with, or undefined if it fulfilled. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}
/** What `act` threw, or undefined. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}
/** One record as the README lays it out. */
function encode(event: Json): Buffer {
  const payload = Buffer.from(JSON.stringify(event));
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}
const sizeOf = async (path: string) => (await stat(path)).size;
/** JSON's idea of a value (-0 is 0): what reading it back gives. */
const viaJson = (value: Json) => JSON.parse(JSON.stringify(value)) as Json;
async function appendAll(log: FileLog, events: readonly Json[]): Promise<void> {
  for (const event of events) await log.append(event);
}
const eventsOf = (records: readonly { event: Json }[]) => records.map((r) => r.event);
const offsetsOf = (records: readonly { offset: number }[]) => records.map((r) => r.offset);

/**
 * Any JSON value, with plain keys: the kata runner freezes the intrinsics, so an object keyed
 * `valueOf` or `toString` (which fc.jsonValue() makes) cannot be built there.
 */
const { json: anyJson } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie("json"), { maxLength: 3 }),
    fc.dictionary(fc.string({ unit: fc.constantFrom(..."abcxyz_"), maxLength: 5 }), tie("json"), {
      maxKeys: 3,
    }),
  ),
}));
const jsonEvent: fc.Arbitrary<Json> = fc.oneof(
  anyJson,
  fc.constantFrom<Json>(0, -1, "", "é ✓", [], {}, null, false, { nested: { list: [1, "two"] } }),
);
/** What JSON cannot carry: made afresh for each use. */
const notJson = () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  return [
    undefined,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    () => 1,
    Symbol("event"),
    1n,
    cycle,
  ];
};
/**
 * Every value of each list, whatever fast-check's seed: pairs that take each value of the longer
 * list once, and cycle through the shorter one.
 */
function everyValue(...lists: unknown[][]): unknown[][] {
  const longest = Math.max(...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, i) => lists.map((list) => list[i % list.length]));
}

describe("append and read", () => {
  it("gives offsets 0, 1, 2… in append order and reads the events back", async () => {
    const log = await openLog(freshPath());

    expect(await log.append({ type: "placed", id: 1 })).toBe(0);
    expect(await log.append("second")).toBe(1);
    expect(await log.append(null)).toBe(2);

    expect(log.length).toBe(3);
    expect(await log.read()).toEqual([
      { offset: 0, event: { type: "placed", id: 1 } },
      { offset: 1, event: "second" },
      { offset: 2, event: null },
    ]);
  });

  it("stores any JSON value as JSON reads it back, before and after a reopen", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonEvent, { minLength: 1, maxLength: 5 }), async (events) => {
        const path = freshPath();
        const log = await openLog(path);
        await appendAll(log, events);

        expect(eventsOf(await log.read())).toEqual(events.map(viaJson));
        const again = await reopen(log, path);
        expect(again.length).toBe(events.length);
        expect(eventsOf(await again.read())).toEqual(events.map(viaJson));
      }),
      { numRuns: 25 },
    );
  });

  it("refuses what JSON cannot carry with an EventTypeError, and appends nothing", async () => {
    const path = freshPath();
    const log = await openLog(path);
    await log.append("before");
    const values = notJson();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...values), async (event) => {
        const error = await rejectionOf(log.append(event as Json));

        expect(error).toBeInstanceOf(EventTypeError);
        expect(Object.is((error as EventTypeError).event, event)).toBe(true);
        expect((error as EventTypeError).name).toBe("EventTypeError");
        expect((error as EventTypeError).message).toBe(
          `\`event\` must be a JSON-serialisable value, got ${typeof event}`,
        );
        expect(log.length).toBe(1);
      }),
      { numRuns: 30, examples: everyValue(values) as [unknown][] },
    );
    expect(await sizeOf(path)).toBe(encode("before").length);
    expect(await log.append("after")).toBe(1);
    expect(eventsOf(await log.read())).toEqual(["before", "after"]);
  });

  it("gives concurrent appends distinct offsets, in the order they were called", async () => {
    const path = freshPath();
    const log = await openLog(path);
    const events = Array.from({ length: 20 }, (_, i) => ({ n: i }));

    const offsets = await Promise.all(events.map((event) => log.append(event)));

    expect(offsets).toEqual(events.map((_, i) => i));
    expect(eventsOf(await log.read())).toEqual(events);
    expect(eventsOf(await (await reopen(log, path)).read())).toEqual(events);
  });

  it("writes each record as [length u32 LE][crc32 u32 LE][JSON]", async () => {
    const path = freshPath();
    const log = await openLog(path);
    await appendAll(log, [{ a: 1 }, "b"]);
    await log.close();

    expect(await readFile(path)).toEqual(Buffer.concat([encode({ a: 1 }), encode("b")]));
  });

  it("opens a file another writer wrote in that format", async () => {
    const path = freshPath();
    await writeFile(path, Buffer.concat([encode({ a: 1 }), encode([2, 3]), encode("c")]));

    const log = await openLog(path);

    expect(log.droppedBytes).toBe(0);
    expect(await log.read(1)).toEqual([
      { offset: 1, event: [2, 3] },
      { offset: 2, event: "c" },
    ]);
  });
});

describe("open()", () => {
  it("refuses a path that is not a non-empty string with a LogArgumentError", async () => {
    const paths = ["", 0, 1, null, undefined, ["x.log"]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<unknown>(...paths), async (path) => {
        const error = await rejectionOf(FileLog.open(path as string));

        expect(error).toBeInstanceOf(LogArgumentError);
        expect((error as LogArgumentError).argument).toBe("path");
        expect(Object.is((error as LogArgumentError).value, path)).toBe(true);
      }),
      { numRuns: 12, examples: everyValue(paths) as [unknown][] },
    );
  });
});

describe("replay from an offset", () => {
  it("returns up to `limit` records from `from`, for any valid from and limit", async () => {
    const log = await openLog(freshPath());
    const events = ["a", "b", "c", "d", "e"];
    await appendAll(log, events);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: events.length }),
        fc.integer({ min: 1, max: events.length + 2 }),
        async (from, limit) => {
          const records = await log.read(from, limit);

          expect(eventsOf(records)).toEqual(events.slice(from, from + limit));
          expect(offsetsOf(records)).toEqual(
            events.slice(from, from + limit).map((_, i) => from + i),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reads 100 records at most unless told otherwise", async () => {
    const log = await openLog(freshPath());
    await Promise.all(Array.from({ length: 101 }, (_, i) => log.append(i)));

    expect(await log.read()).toHaveLength(100);
    expect(eventsOf(await log.read(100))).toEqual([100]);
    expect(await log.read(0, 101)).toHaveLength(101);
  });

  it("refuses a `from` that is not an offset from 0 to the length, or a bad `limit`", async () => {
    const log = await openLog(freshPath());
    await appendAll(log, ["a", "b"]);
    const badFrom = [-1, 3, 0.5, Number.NaN, Number.POSITIVE_INFINITY, "1", null];
    const badLimit = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "2", null];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...badFrom),
        fc.constantFrom(...badLimit),
        async (from, limit) => {
          const fromError = await rejectionOf(log.read(from as number));
          expect(fromError).toBeInstanceOf(LogArgumentError);
          expect((fromError as LogArgumentError).argument).toBe("from");
          expect(Object.is((fromError as LogArgumentError).value, from)).toBe(true);
          expect((fromError as LogArgumentError).name).toBe("LogArgumentError");
          expect((fromError as LogArgumentError).message).toBe(
            `\`from\` is not valid here, got ${typeof from}`,
          );

          const limitError = await rejectionOf(log.read(0, limit as number));
          expect(limitError).toBeInstanceOf(LogArgumentError);
          expect((limitError as LogArgumentError).argument).toBe("limit");
          expect(Object.is((limitError as LogArgumentError).value, limit)).toBe(true);
        },
      ),
      { numRuns: 30, examples: everyValue(badFrom, badLimit) as [unknown, unknown][] },
    );
    expect(await log.read(2)).toEqual([]);
  });
});

describe("consumers: each its own position", () => {
  it("hands a consumer the records it has not been handed yet, up to `limit`", async () => {
    const log = await openLog(freshPath());
    await appendAll(log, ["a", "b", "c"]);

    expect(eventsOf(await log.poll("mailer", 2))).toEqual(["a", "b"]);
    expect(eventsOf(await log.poll("mailer", 2))).toEqual(["c"]);
    expect(await log.poll("mailer")).toEqual([]);
    await log.append("d");
    expect(await log.poll("mailer")).toEqual([{ offset: 3, event: "d" }]);
  });

  it("keeps consumers apart", async () => {
    const log = await openLog(freshPath());
    await appendAll(log, ["a", "b"]);

    await log.poll("mailer");
    await log.ack("mailer", 0);

    expect(eventsOf(await log.poll("billing"))).toEqual(["a", "b"]);
  });

  it("after a reopen, starts a consumer at its first unacknowledged record", async () => {
    const path = freshPath();
    let log = await openLog(path);
    await appendAll(log, ["a", "b", "c", "d"]);
    await log.poll("mailer");
    await log.ack("mailer", 0);
    await log.ack("mailer", 1);

    log = await reopen(log, path);

    expect(await log.poll("mailer")).toEqual([
      { offset: 2, event: "c" },
      { offset: 3, event: "d" },
    ]);
    expect(eventsOf(await log.poll("billing"))).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps acknowledgements given out of order: only the gaps come back", async () => {
    const path = freshPath();
    let log = await openLog(path);
    await appendAll(log, ["a", "b", "c", "d", "e"]);
    await log.poll("mailer");
    expect(log.position("mailer")).toBe(0);
    await log.ack("mailer", 3);
    await log.ack("mailer", 0);
    await log.ack("mailer", 2);
    expect(log.position("mailer")).toBe(1);

    log = await reopen(log, path);
    expect(log.position("mailer")).toBe(1);
    expect(offsetsOf(await log.poll("mailer"))).toEqual([1, 4]);

    await log.ack("mailer", 4);
    log = await reopen(log, path);
    expect(offsetsOf(await log.poll("mailer"))).toEqual([1]);
    await log.ack("mailer", 1);
    expect(log.position("mailer")).toBe(5);
    log = await reopen(log, path);
    expect(log.position("mailer")).toBe(5);
    expect(await log.poll("mailer")).toEqual([]);
    expect(log.position("billing")).toBe(0);
  });

  it("for any acknowledgements, a reopened log hands back exactly the unacknowledged records", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat({ max: 5 }), { maxLength: 6 }),
        async (count, acks) => {
          const path = freshPath();
          let log = await openLog(path);
          await appendAll(
            log,
            Array.from({ length: count }, (_, i) => i),
          );
          const acked = acks.filter((offset) => offset < count);
          for (const offset of acked) await log.ack("c", offset);

          log = await reopen(log, path);

          const left = Array.from({ length: count }, (_, i) => i).filter((i) => !acked.includes(i));
          expect(offsetsOf(await log.poll("c"))).toEqual(left);
          expect(log.position("c")).toBe(left[0] ?? count);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("ignores an acknowledgement given twice", async () => {
    const path = freshPath();
    let log = await openLog(path);
    await appendAll(log, ["a", "b", "c"]);
    await log.ack("mailer", 1);
    await log.ack("mailer", 1);
    await log.ack("mailer", 0);
    await log.ack("mailer", 0);

    log = await reopen(log, path);

    expect(offsetsOf(await log.poll("mailer"))).toEqual([2]);
  });

  it("refuses a consumer that is not a non-empty string, and an offset outside the log", async () => {
    const log = await openLog(freshPath());
    await appendAll(log, ["a", "b"]);
    const badConsumer = ["", 1, null, undefined, ["mailer"]];
    const badOffset = [-1, 2, 0.5, Number.NaN, "0", null];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...badConsumer),
        fc.constantFrom(...badOffset),
        async (consumer, offset) => {
          for (const act of [
            () => log.poll(consumer as string),
            () => log.ack(consumer as string, 0),
          ]) {
            const error = await rejectionOf(act());
            expect(error).toBeInstanceOf(LogArgumentError);
            expect((error as LogArgumentError).argument).toBe("consumer");
            expect(Object.is((error as LogArgumentError).value, consumer)).toBe(true);
          }
          const error = await rejectionOf(log.ack("mailer", offset as number));
          expect(error).toBeInstanceOf(LogArgumentError);
          expect((error as LogArgumentError).argument).toBe("offset");
          expect(Object.is((error as LogArgumentError).value, offset)).toBe(true);
          const positionError = thrownBy(() => log.position(consumer as string));
          expect(positionError).toBeInstanceOf(LogArgumentError);
          expect((positionError as LogArgumentError).argument).toBe("consumer");
          const limitError = await rejectionOf(log.poll("mailer", 0));
          expect((limitError as LogArgumentError).argument).toBe("limit");
        },
      ),
      { numRuns: 30, examples: everyValue(badConsumer, badOffset) as [unknown, unknown][] },
    );
    expect(eventsOf(await log.poll("mailer"))).toEqual(["a", "b"]);
  });
});

describe("recovery from a torn last record", () => {
  it("cuts a last record torn anywhere, and appends after the good ones", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonEvent, { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (events, where) => {
          const path = freshPath();
          const good = Buffer.concat(events.slice(0, -1).map((e) => encode(e)));
          const last = encode(events.at(-1) as Json);
          const kept = Math.min(last.length - 1, Math.floor(where * last.length));
          await writeFile(path, Buffer.concat([good, last.subarray(0, kept)]));

          let log = await openLog(path);
          expect(log.droppedBytes).toBe(kept);
          expect(log.length).toBe(events.length - 1);
          expect(await sizeOf(path)).toBe(good.length);
          expect(eventsOf(await log.read())).toEqual(events.slice(0, -1).map(viaJson));

          expect(await log.append("after")).toBe(events.length - 1);
          log = await reopen(log, path);
          expect(log.droppedBytes).toBe(0);
          expect(eventsOf(await log.read())).toEqual([
            ...events.slice(0, -1).map(viaJson),
            "after",
          ]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("cuts a last record whose checksum fails", async () => {
    const path = freshPath();
    const last = encode({ total: 42 });
    last[last.length - 2] = "3".charCodeAt(0); // {"total":43}: still JSON, but not what was written
    await writeFile(path, Buffer.concat([encode("a"), last]));

    const log = await openLog(path);

    expect(log.droppedBytes).toBe(last.length);
    expect(eventsOf(await log.read())).toEqual(["a"]);
  });

  it("cuts a tail of zeros, which some file systems leave after a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (zeros) => {
        const path = freshPath();
        await writeFile(path, Buffer.concat([encode("a"), encode("b"), Buffer.alloc(zeros)]));

        const log = await openLog(path);

        expect(log.droppedBytes).toBe(zeros);
        expect(eventsOf(await log.read())).toEqual(["a", "b"]);
      }),
      { numRuns: 20 },
    );
  });

  it("refuses to open a file damaged before its last record, and leaves it as it is", async () => {
    const path = freshPath();
    const first = encode({ total: 42 });
    first[first.length - 2] = "3".charCodeAt(0);
    const damaged = Buffer.concat([encode("a"), first, encode("c")]);
    await writeFile(path, damaged);

    const error = await rejectionOf(FileLog.open(path));

    expect(error).toBeInstanceOf(CorruptLogError);
    expect((error as CorruptLogError).path).toBe(path);
    expect((error as CorruptLogError).position).toBe(encode("a").length);
    expect((error as CorruptLogError).name).toBe("CorruptLogError");
    expect((error as CorruptLogError).message).toBe(
      `${path} is corrupt at byte ${encode("a").length}`,
    );
    expect(await readFile(path)).toEqual(damaged);
  });
});

describe("close()", () => {
  it("waits for appends already called, and is safe to call twice", async () => {
    const path = freshPath();
    const log = await openLog(path);
    const offset = log.append("last words");

    await log.close();
    await log.close();

    expect(await offset).toBe(0);
    expect(eventsOf(await (await openLog(path)).read())).toEqual(["last words"]);
  });

  it("refuses every use after it with a LogClosedError", async () => {
    const log = await openLog(freshPath());
    await log.append("a");
    await log.close();

    for (const act of [
      () => log.append("b"),
      () => log.read(),
      () => log.poll("mailer"),
      () => log.ack("mailer", 0),
    ]) {
      const error = await rejectionOf(act());
      expect(error).toBeInstanceOf(LogClosedError);
      expect((error as LogClosedError).name).toBe("LogClosedError");
      expect((error as LogClosedError).message).toBe("the event log is closed");
    }
    expect(thrownBy(() => log.position("mailer"))).toBeInstanceOf(LogClosedError);
  });
});
