/**
 * `npx tsx bench/event-log.ts`: events per second appended to each durable log, per fsync
 * policy, two ways: one append at a time (each awaited: the latency a lone writer sees) and 256
 * appends in flight (the file log's group commit shares one sync among them; ioredis pipelines
 * them). The file log writes in a temporary folder under os.tmpdir(); the Redis log talks to a
 * private redis-server (Debian's package) with `appendonly yes` and the matching `appendfsync`.
 * Prints the machine's load first: on a shared machine the figures move with it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { startRedis } from "../kata/services";
import { FileLog, type FsyncPolicy } from "../patterns/observer-async/event-log/file-log";
import { RedisStreamLog } from "../patterns/observer-async/event-log/redis-stream-log";
import type { EventLog } from "../patterns/observer-async/event-log/types";

const IN_FLIGHT = 256;
const event = { type: "order.placed", id: 0, total: 42.5, items: ["book", "pen"] };

async function sequential(log: EventLog, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await log.append({ ...event, id: i });
  return count / ((performance.now() - start) / 1000);
}

async function concurrent(log: EventLog, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i += IN_FLIGHT) {
    const batch: Promise<string>[] = [];
    for (let j = i; j < Math.min(count, i + IN_FLIGHT); j++)
      batch.push(log.append({ ...event, id: j }));
    await Promise.all(batch);
  }
  return count / ((performance.now() - start) / 1000);
}

const rows: [backend: string, policy: string, one: number, many: number][] = [];
const round = (n: number) => Math.round(n).toLocaleString("en");

async function main(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} on ${cpus().length} cores`,
  );
  const dir = mkdtempSync(join(tmpdir(), "event-log-bench-"));
  try {
    const policies: [FsyncPolicy, number][] = [
      ["always", 2_000],
      ["interval", 20_000],
      ["never", 20_000],
    ];
    for (const [fsync, count] of policies) {
      const one = await FileLog.open(join(dir, `${fsync}-one.log`), { fsync });
      const a = await sequential(one, count);
      await one.close();
      const many = await FileLog.open(join(dir, `${fsync}-many.log`), { fsync });
      const b = await concurrent(many, count * 5);
      await many.close();
      rows.push(["file", fsync, a, b]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const redis = await startRedis();
  const admin = new Redis(redis.url);
  try {
    await admin.config("SET", "appendonly", "yes");
    for (const [appendfsync, count] of [
      ["always", 2_000],
      ["everysec", 20_000],
      ["no", 20_000],
    ] as const) {
      await admin.config("SET", "appendfsync", appendfsync);
      const one = await RedisStreamLog.connect(redis.url, { stream: `${appendfsync}-one` });
      const a = await sequential(one, count);
      await one.close();
      const many = await RedisStreamLog.connect(redis.url, { stream: `${appendfsync}-many` });
      const b = await concurrent(many, count * 5);
      await many.close();
      rows.push(["redis streams", `appendfsync ${appendfsync}`, a, b]);
    }
  } finally {
    await admin.quit();
    await redis.stop();
  }

  console.log("\n| backend | fsync policy | events/s, one at a time | events/s, 256 in flight |");
  console.log("| --- | --- | ---: | ---: |");
  for (const [backend, policy, a, b] of rows)
    console.log(`| ${backend} | ${policy} | ${round(a)} | ${round(b)} |`);
  console.log(
    `\nload average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

await main();
