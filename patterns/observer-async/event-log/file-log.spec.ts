/**
 * The file log: the shared contract, then what only a file has: torn tails, damaged records,
 * fsync policies, the side file of positions, and a writer killed with SIGKILL mid-stream.
 */
import { spawn } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open as openFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { eventLogConformance } from "./conformance";
import { CorruptLogError, EventTooLargeError } from "./errors";
import { FileLog, type FsyncPolicy, MAX_RECORD } from "./file-log";

/** Every file handle the log opens, to check that it closes those it only borrowed. */
const { opened } = vi.hoisted(() => ({ opened: [] as FileHandle[] }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      opened.push(handle);
      return handle;
    },
  };
});

eventLogConformance("FileLog", async () => {
  const dir = mkdtempSync(join(tmpdir(), "event-log-"));
  const path = join(dir, "events.log");
  return {
    open: () => FileLog.open(path),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe("FileLog on disk", () => {
  const dirs: string[] = [];
  const logs: FileLog[] = [];
  const tempPath = () => {
    const dir = mkdtempSync(join(tmpdir(), "event-log-"));
    dirs.push(dir);
    return join(dir, "events.log");
  };
  const open = async (path: string, fsync?: FsyncPolicy) => {
    const log = await FileLog.open(path, fsync ? { fsync } : {});
    logs.push(log);
    return log;
  };
  const events = async (log: FileLog) => (await log.read(undefined, 1000)).map((r) => r.event);

  afterEach(async () => {
    // The sync spies sit on FileHandle's prototype: restored here, not by a config option.
    vi.restoreAllMocks();
    for (const log of logs.splice(0)) await log.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    opened.splice(0);
  });

  it("stores each record as length, CRC32 and JSON", async () => {
    const path = tempPath();
    const log = await open(path);
    await log.append({ a: 1 });
    const bytes = readFileSync(path);
    expect(bytes.readUInt32LE(0)).toBe(7);
    expect(bytes.subarray(8).toString()).toBe('{"a":1}');
    expect(bytes.readUInt32LE(4)).toBe(crc(Buffer.from('{"a":1}')));
    expect(bytes.length).toBe(15);
  });

  it.each([
    ["half a record", (whole: Buffer) => whole.subarray(0, whole.length - 3)],
    ["only part of a header", (whole: Buffer) => whole.subarray(0, 5)],
    ["garbage bytes", () => Buffer.from("\xff\xfe garbage that is not a record", "latin1")],
    ["a whole record with a bad checksum", (whole: Buffer) => flip(whole, whole.length - 1)],
    ["zeros a crash left behind", () => Buffer.alloc(64)],
  ])(
    "recovers from a torn tail (%s): cuts it, reports the bytes, appends again",
    async (_, tail) => {
      const path = tempPath();
      let log = await open(path);
      await log.append("first");
      await log.append("second");
      await log.close();
      const before = statSync(path).size;
      const extra = tail(record("third"));
      appendFileSync(path, extra);
      log = await open(path);
      expect(log.droppedBytes).toBe(extra.length);
      expect(statSync(path).size).toBe(before);
      expect(await events(log)).toEqual(["first", "second"]);
      expect(await log.append("third")).toBe("2");
      await log.close();
      log = await open(path);
      expect(log.droppedBytes).toBe(0);
      expect(await events(log)).toEqual(["first", "second", "third"]);
    },
  );

  it("refuses to open a file whose damage is followed by valid records", async () => {
    const path = tempPath();
    const log = await open(path);
    for (const word of ["one", "two", "three"]) await log.append(word);
    await log.close();
    const bytes = readFileSync(path);
    writeFileSync(path, flip(bytes, 8 + 2)); // inside the first payload
    const opening = FileLog.open(path);
    await expect(opening).rejects.toBeInstanceOf(CorruptLogError);
    await expect(opening).rejects.toThrow(`${path} is corrupt at byte 0: checksum mismatch`);
  });

  it("detects a record damaged after the log was opened when reading it", async () => {
    const path = tempPath();
    const log = await open(path);
    await log.append("one");
    await log.append("two");
    writeFileSync(path, flip(readFileSync(path), 8 + 1));
    await expect(log.read()).rejects.toThrow(`${path} is corrupt at byte 0: checksum mismatch`);
  });

  it.each<FsyncPolicy>(["always", "interval", "never"])(
    "keeps every resolved append across a reopen with fsync %s",
    async (fsync) => {
      const path = tempPath();
      let log = await open(path, fsync);
      expect(log.fsync).toBe(fsync);
      await Promise.all([1, 2, 3].map((n) => log.append(n)));
      await log.close();
      log = await open(path, fsync);
      expect(await events(log)).toEqual([1, 2, 3]);
    },
  );

  it("refuses bad options, naming them", async () => {
    await expect(FileLog.open(tempPath(), { fsync: "sometimes" as FsyncPolicy })).rejects.toThrow(
      '`fsync` must be "always", "interval" or "never", got "sometimes"',
    );
    await expect(FileLog.open(tempPath(), { fsyncIntervalMs: 0 })).rejects.toThrow(
      "`fsyncIntervalMs` must be a number of milliseconds above 0, got 0",
    );
    await expect(FileLog.open("")).rejects.toThrow('`path` must be a non-empty string, got ""');
  });

  it("keeps positions in a side file replaced whole, with acknowledgements out of order", async () => {
    const path = tempPath();
    let log = await open(path);
    for (const n of [0, 1, 2, 3]) await log.append(n);
    await log.poll("c");
    await log.ack("c", "2");
    await log.ack("c", "0");
    expect(JSON.parse(readFileSync(`${path}.consumers.json`, "utf8"))).toEqual({
      version: 1,
      consumers: { c: { committed: 1, acked: [2] } },
    });
    await log.close();
    log = await open(path);
    expect((await log.poll("c")).map((r) => r.event)).toEqual([1, 3]);
  });

  it("refuses to acknowledge an offset the log does not have", async () => {
    const log = await open(tempPath());
    await expect(log.ack("c", "0")).rejects.toThrow(
      '`offset` must be an offset of this log (it is empty), got "0"',
    );
    await log.append("x");
    await expect(log.ack("c", "1")).rejects.toThrow(
      '`offset` must be an offset of this log, "0" to "0", got "1"',
    );
  });

  it("refuses an event too large for one record, appending nothing, and goes on appending", async () => {
    const path = tempPath();
    const log = await open(path);
    await log.append("before");
    const size = statSync(path).size;
    // Its JSON is the limit plus the two quotes: written, it would read as damage on reopening.
    const error = await log.append("x".repeat(MAX_RECORD)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(error).toMatchObject({ bytes: MAX_RECORD + 2, limit: MAX_RECORD });
    expect([log.length, statSync(path).size]).toEqual([1, size]);
    await log.append("after");
    await log.close();
    const reopened = await open(path);
    expect(reopened.droppedBytes).toBe(0);
    expect((await reopened.poll("c")).map((r) => r.event)).toEqual(["before", "after"]);
  });

  it("gives its path, and refuses a path that is not a string", async () => {
    const path = tempPath();
    const log = await open(path);
    expect(log.path).toBe(path);
    await expect(FileLog.open(42 as unknown as string)).rejects.toThrow(
      "`path` must be a non-empty string, got 42",
    );
  });

  it("syncs with fsync always: the folder on open, each append, each save of positions", async () => {
    const handle = await handlePrototype();
    const datasync = vi.spyOn(handle, "datasync");
    const sync = vi.spyOn(handle, "sync");
    const path = tempPath();
    const log = await open(path, "always");
    expect([datasync.mock.calls.length, sync.mock.calls.length]).toEqual([0, 1]);
    await log.append("a");
    expect([datasync.mock.calls.length, sync.mock.calls.length]).toEqual([1, 1]);
    await log.ack("c", "0");
    expect([datasync.mock.calls.length, sync.mock.calls.length]).toEqual([2, 2]);
    await log.close();
    expect([datasync.mock.calls.length, sync.mock.calls.length]).toEqual([2, 2]);
  });

  it("never syncs with fsync never, not even on a clean reopen or a timer tick", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const path = tempPath();
      await (await open(path, "never")).close();
      const handle = await handlePrototype();
      const datasync = vi.spyOn(handle, "datasync");
      const sync = vi.spyOn(handle, "sync");
      const log = await open(path, "never");
      await log.append("a");
      await log.ack("c", "0");
      vi.advanceTimersByTime(5000);
      await log.close();
      expect([datasync.mock.calls.length, sync.mock.calls.length]).toEqual([0, 0]);
      expect(await events(await open(path, "never"))).toEqual(["a"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("syncs with fsync interval on each tick that follows an append, and on close", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const handle = await handlePrototype();
      const datasync = vi.spyOn(handle, "datasync");
      const sync = vi.spyOn(handle, "sync");
      const path = tempPath();
      const log = await FileLog.open(path, { fsync: "interval", fsyncIntervalMs: 50 });
      logs.push(log);
      vi.advanceTimersByTime(50); // nothing written yet: nothing to sync
      expect(datasync).not.toHaveBeenCalled();
      await log.append("a");
      expect(datasync).not.toHaveBeenCalled();
      vi.advanceTimersByTime(49);
      expect(datasync).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(datasync).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(100); // nothing new since the last sync
      expect(datasync).toHaveBeenCalledTimes(1);
      await log.append("b");
      await log.ack("c", "0"); // the side file is synced before its rename
      expect(datasync).toHaveBeenCalledTimes(2);
      await log.close(); // "b" is not synced yet: close syncs it
      expect(datasync).toHaveBeenCalledTimes(3);
      expect(sync).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not sync on close with fsync interval when nothing was appended", async () => {
    const handle = await handlePrototype();
    const datasync = vi.spyOn(handle, "datasync");
    const log = await open(tempPath(), "interval");
    await log.close();
    expect(datasync).not.toHaveBeenCalled();
  });

  it("closes every file it opens but its own", async () => {
    const path = tempPath();
    const first = await open(path, "never");
    await first.append("a");
    await first.ack("c", "0");
    await first.close();
    opened.splice(0);
    const log = await open(path, "never");
    await log.ack("d", "0");
    // the log, the side file it read, the replacement it wrote
    expect(opened.map((h) => h.fd === -1)).toEqual([false, true, true]);
    await log.close();
    expect(opened[0]?.fd).toBe(-1);
  });

  it("refuses to open when the side file cannot be read for a reason other than its absence", async () => {
    const path = tempPath();
    mkdirSync(`${path}.consumers.json`);
    await expect(FileLog.open(path)).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("rejects the appends of a failed write and cuts what reached the file", async () => {
    const path = tempPath();
    const log = await open(path);
    await log.append("before");
    const handle = await handlePrototype();
    const write = handle.write as (
      this: FileHandle,
      bytes: Buffer,
      offset: number,
      length: number,
    ) => Promise<{ bytesWritten: number; buffer: Buffer }>;
    vi.spyOn(handle, "write")
      .mockImplementationOnce(function (this: FileHandle, bytes: Buffer, offset: number) {
        return write.call(this, bytes, offset, 3);
      } as FileHandle["write"])
      .mockRejectedValueOnce(new Error("disk full"));
    await expect(log.append("lost")).rejects.toThrow("disk full");
    expect(await log.append("after")).toBe("1");
    await log.close();
    const reopened = await open(path);
    expect(reopened.droppedBytes).toBe(0);
    expect(await events(reopened)).toEqual(["before", "after"]);
  });

  it("takes only canonical decimal strings as offsets", async () => {
    const log = await open(tempPath());
    for (let n = 0; n < 11; n++) await log.append(n);
    expect(await log.read("10")).toEqual([{ offset: "10", event: 10 }]);
    for (const bad of ["01", "00", "1x", "x1", "1.0", " 1", ""])
      await expect(log.read(bad)).rejects.toThrow(
        `\`from\` must be an offset of this log, "0" to "11", got ${JSON.stringify(bad)}`,
      );
    await expect(log.read(1 as unknown as string)).rejects.toThrow(
      '`from` must be an offset of this log, "0" to "11", got 1',
    );
    await expect(log.ack("c", 0 as unknown as string)).rejects.toThrow(
      '`offset` must be an offset of this log, "0" to "10", got 0',
    );
  });

  it("skips acknowledged records before counting the limit of a poll", async () => {
    const log = await open(tempPath());
    for (const n of [0, 1, 2, 3]) await log.append(n);
    await log.ack("c", "1");
    await log.ack("c", "2");
    expect(await log.poll("c", 2)).toEqual([
      { offset: "0", event: 0 },
      { offset: "3", event: 3 },
    ]);
  });

  it("writes the side file with acknowledgements sorted, and an ack below the committed mark changes nothing", async () => {
    const path = tempPath();
    const log = await open(path, "never");
    for (let n = 0; n < 6; n++) await log.append(n);
    const side = () => JSON.parse(readFileSync(`${path}.consumers.json`, "utf8"));
    for (const offset of ["4", "1", "5", "3"]) await log.ack("c", offset);
    expect(side().consumers.c).toEqual({ committed: 0, acked: [1, 3, 4, 5] });
    await log.ack("c", "0");
    await log.ack("c", "0");
    expect(side().consumers.c).toEqual({ committed: 2, acked: [3, 4, 5] });
    await log.ack("c", "1");
    expect(side().consumers.c).toEqual({ committed: 2, acked: [3, 4, 5] });
  });

  it("writes concurrent acknowledgements to the side file together", async () => {
    const path = tempPath();
    const log = await open(path, "never");
    for (const n of [0, 1, 2]) await log.append(n);
    const handle = await handlePrototype();
    const writeFile = vi.spyOn(handle, "writeFile");
    await Promise.all(["2", "0", "1"].map((offset) => log.ack("c", offset)));
    expect(writeFile).toHaveBeenCalledTimes(1);
    expect(JSON.parse(readFileSync(`${path}.consumers.json`, "utf8")).consumers.c).toEqual({
      committed: 3,
      acked: [],
    });
  });

  it("drops saved acknowledgements below the committed mark or past the end on open", async () => {
    const path = tempPath();
    let log = await open(path, "never");
    for (const n of [0, 1, 2, 3, 4]) await log.append(n);
    await log.close();
    writeFileSync(
      `${path}.consumers.json`,
      JSON.stringify({ version: 1, consumers: { c: { committed: 1, acked: [0, 1, 3, 5, 6] } } }),
    );
    log = await open(path, "never");
    expect((await log.poll("c")).map((r) => r.event)).toEqual([2, 4]);
    await log.ack("c", "2");
    expect(JSON.parse(readFileSync(`${path}.consumers.json`, "utf8")).consumers.c).toEqual({
      committed: 4,
      acked: [],
    });
  });

  it("reports a file cut shorter than its index, and a damaged record, at the right byte", async () => {
    const path = tempPath();
    const log = await open(path);
    await log.append("one"); // 8 + 5 bytes
    await log.append("two");
    const whole = readFileSync(path);
    writeFileSync(path, flip(whole, 13 + 8 + 1));
    await expect(log.read()).rejects.toThrow(`${path} is corrupt at byte 13: checksum mismatch`);
    writeFileSync(path, whole.subarray(0, 16));
    await expect(log.read()).rejects.toThrow(
      `${path} is corrupt at byte 16: the file is shorter than its index`,
    );
  });

  it("cuts a tail shorter than the length field", async () => {
    const path = tempPath();
    let log = await open(path);
    await log.append("first");
    await log.close();
    appendFileSync(path, Buffer.from([1, 2, 3]));
    log = await open(path);
    expect(log.droppedBytes).toBe(3);
    expect(await events(log)).toEqual(["first"]);
  });

  it("keeps records longer than 64 bytes across a reopen", async () => {
    const path = tempPath();
    let log = await open(path);
    const long = "x".repeat(5000);
    await log.append(long);
    await log.append(long);
    await log.close();
    log = await open(path);
    expect(log.droppedBytes).toBe(0);
    expect(await events(log)).toEqual([long, long]);
  });

  it("closes the folder it syncs with fsync always", async () => {
    const path = tempPath();
    opened.splice(0);
    const log = await open(path, "always");
    await log.append("a");
    await log.ack("c", "0");
    // the log; the folder on open; the replacement side file, then the folder after its rename
    expect(opened.map((h) => h.fd === -1)).toEqual([false, true, true, true]);
  });

  it("rejects an ack whose side file cannot be replaced, leaving no temporary file", async () => {
    const path = tempPath();
    const log = await open(path);
    await log.append("a");
    mkdirSync(`${path}.consumers.json`);
    await expect(log.ack("c", "0")).rejects.toMatchObject({ code: "EISDIR" });
    expect(readdirSync(dirname(path)).sort()).toEqual(["events.log", "events.log.consumers.json"]);
  });

  it("refuses to open a file with a record of length 0 followed by valid records", async () => {
    const path = tempPath();
    writeFileSync(path, Buffer.concat([Buffer.alloc(8), record("next")]));
    await expect(FileLog.open(path)).rejects.toThrow(
      `${path} is corrupt at byte 0: a record of length 0`,
    );
  });

  // #region kill-test
  it("loses no acknowledged event when the writer is killed with SIGKILL mid-stream", async () => {
    const path = tempPath();
    const writer = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL("./kill-writer.ts", import.meta.url)), path],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      writer.once("exit", (_, signal) => resolve(signal)),
    );
    const acknowledged: [offset: string, n: number][] = [];
    try {
      for await (const line of createInterface({ input: writer.stdout })) {
        const [offset = "", n = ""] = line.split(" ");
        acknowledged.push([offset, Number(n)]);
        if (acknowledged.length === 200) writer.kill("SIGKILL");
      }
    } finally {
      // If the test itself fails or times out, do not leave the writer running.
      if (writer.exitCode === null && writer.signalCode === null) writer.kill("SIGKILL");
    }
    expect(await exited).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);

    const log = await open(path);
    const records = await log.read(undefined, 1_000_000);
    // Every acknowledged event is there, under its offset, and nothing is out of order.
    for (const [offset, n] of acknowledged)
      expect(records[Number(offset)]).toEqual({ offset, event: { n } });
    expect(records.map((r) => r.event)).toEqual(records.map((_, i) => ({ n: i })));
    // And the log still takes appends.
    const next = await log.append({ n: records.length });
    expect(next).toBe(String(records.length));
  }, 120_000); // starting a TypeScript child process on a loaded machine; no speed is asserted
  // #endregion kill-test
});

/** One record in the file format, for building damaged tails. */
function record(event: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(event));
  const header = Buffer.alloc(8);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(0, 4);
  const whole = Buffer.concat([header, payload]);
  // a correct checksum, so only the cut (or the flip) makes it invalid
  whole.writeUInt32LE(crc(payload), 4);
  return whole;
}

function crc(payload: Buffer): number {
  let c = ~0;
  for (const byte of payload) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

/** The prototype of Node's `FileHandle`, for spying on the calls the log makes (syncs, closes). */
async function handlePrototype(): Promise<FileHandle> {
  const handle = await openFile(fileURLToPath(import.meta.url), "r");
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}
