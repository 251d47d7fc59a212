/**
 * The file log: the shared contract, then what only a file has: torn tails, damaged records,
 * fsync policies, the side file of positions, and a writer killed with SIGKILL mid-stream.
 */
import { spawn } from "node:child_process";
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { eventLogConformance } from "./conformance";
import { CorruptLogError } from "./errors";
import { FileLog, type FsyncPolicy } from "./file-log";

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
    for (const log of logs.splice(0)) await log.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
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
