/**
 * `npx tsx bench/jobs.ts`: jobs per second through the in-memory JobQueue, and through the
 * BullMQ queue with two worker processes on a private redis-server (Debian's package), each job
 * a handler that returns at once: what is measured is the queue, not the work. A BullMQ job is
 * counted when its `succeeded` event reaches the producer's observer, so the figure includes the
 * events' trip through Redis. Prints the machine's load (`uptime`) before and after: on a shared
 * machine the figures move with it.
 *
 *   npx tsx bench/jobs.ts [jobs=3000] [concurrency per worker=8]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { startRedis } from "../kata/services";
import { BullJobQueue, startBullWorker } from "../patterns/observer-async/bullmq-queue";
import { JobQueue } from "../patterns/observer-async/job-queue";

const [mode, url, concurrencyArg] = process.argv.slice(2);

const uptime = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")} on ${cpus().length} cores`;
const round = (n: number) => Math.round(n).toLocaleString("en");

async function inMemory(jobs: number): Promise<number> {
  const queue = new JobQueue<number, number>({
    handler: (n) => n,
    concurrency: 2,
    maxQueue: jobs,
  });
  const start = performance.now();
  for (let i = 0; i < jobs; i++) queue.enqueue(i);
  await queue.idle();
  return jobs / ((performance.now() - start) / 1000);
}

function spawnWorker(redisUrl: string, concurrency: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--worker", redisUrl, String(concurrency)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (chunk.includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`a worker exited with ${code}`)));
  });
}

async function onBullMQ(redisUrl: string, jobs: number, concurrency: number): Promise<number> {
  const workers = await Promise.all([
    spawnWorker(redisUrl, concurrency),
    spawnWorker(redisUrl, concurrency),
  ]);
  const queue = await BullJobQueue.connect<number, number>({ connection: redisUrl, name: "bench" });
  try {
    let succeeded = 0;
    const done = new Promise<void>((resolve) => {
      queue.attach((event) => {
        if (event.type === "succeeded" && ++succeeded === jobs) resolve();
      });
    });
    const start = performance.now();
    // 100 enqueue()s in flight: each is two round trips (the event, then the job).
    for (let i = 0; i < jobs; i += 100) {
      const batch: Promise<string>[] = [];
      for (let j = i; j < Math.min(jobs, i + 100); j++) batch.push(queue.enqueue(j));
      await Promise.all(batch);
    }
    await done;
    return jobs / ((performance.now() - start) / 1000);
  } finally {
    await queue.close();
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve) => {
            w.once("exit", resolve);
            w.kill("SIGTERM");
          }),
      ),
    );
  }
}

async function main(jobs: number, concurrency: number): Promise<void> {
  console.log(`before: ${uptime()}`);
  await inMemory(2_000); // warm-up
  const memory = await inMemory(jobs * 10);
  const redis = await startRedis();
  let bull: number;
  try {
    await onBullMQ(redis.url, 200, concurrency); // warm-up: connections, Lua scripts loaded
    bull = await onBullMQ(redis.url, jobs, concurrency);
  } finally {
    await redis.stop();
  }
  console.log(`after:  ${uptime()}\n`);
  console.log("| queue | workers | jobs | jobs/s |");
  console.log("|---|---|---|---|");
  console.log(
    `| in-memory JobQueue (concurrency 2) | this process | ${jobs * 10} | ${round(memory)} |`,
  );
  console.log(
    `| BullMQ (concurrency ${concurrency} each) | 2 processes | ${jobs} | ${round(bull)} |`,
  );
}

if (mode === "--worker") {
  // A worker process: node --import tsx bench/jobs.ts --worker <url> <concurrency>
  const worker = await startBullWorker<number, number>({
    connection: url as string,
    name: "bench",
    concurrency: Number(concurrencyArg),
    handler: (n) => n,
  });
  process.stdout.write("ready\n");
  process.once("SIGTERM", () => void worker.close().then(() => process.exit(0)));
} else {
  await main(Number(mode ?? 3_000) || 3_000, Number(url ?? 8) || 8);
}
