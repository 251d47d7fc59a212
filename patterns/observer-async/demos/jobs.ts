/**
 * A job queue sending email through a flaky server: retries with exponential backoff, dead letters, a live dashboard.
 *
 * The source article's Celery `send_notification.delay(...)`, in TypeScript: enqueue() hands a
 * job over at once, a worker sends the email later, temporary failures are retried after 150,
 * 300, 600 ms, a job that keeps failing ends in the dead-letter list, and a permanent failure
 * goes there at once. An observer logs every event; a `for await` loop plays the pager; a task
 * monitor follows the batch.
 *
 *   npm run demo jobs                                  one batch, in-memory JobQueue
 *   npm run demo jobs -- --dashboard [--port 8090]     batch after batch, with a live page and /metrics
 *   npm run demo jobs -- --redis redis://127.0.0.1:6379 [--workers 2]
 *                                                      the same over BullMQ, workers in child processes
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pc from "picocolors";
import type { AsyncObserver } from "../async-subject";
import { BullJobQueue, startBullWorker } from "../bullmq-queue";
import { type Dashboard, startDashboard } from "../dashboard/server";
import { type JobDepth, JobMetrics } from "../job-metrics";
import { type DeadLetter, type JobContext, type JobEvent, JobQueue } from "../job-queue";
import { TaskMonitor } from "../task-monitor";

interface Email {
  readonly to: string;
  readonly subject: string;
}

const { values: args } = parseArgs({
  options: {
    redis: { type: "string" },
    workers: { type: "string", default: "2" },
    dashboard: { type: "boolean", default: false },
    port: { type: "string", default: "8090" },
    worker: { type: "boolean", default: false }, // internal: this process is a BullMQ worker
  },
});

const attempts = (n: number) => `${n} attempt${n === 1 ? "" : "s"}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A permanent failure: retrying cannot help, so the queue should not. */
class PermanentError extends Error {
  override readonly name = "PermanentError";
}

// A pretend SMTP server: bob's mailbox is busy for two attempts, dave's server is down for
// good, and mallory's mailbox does not exist. The attempt number decides, not a counter in this
// process: with BullMQ, each attempt may run in another worker.
async function send(email: Email, job: JobContext): Promise<string> {
  await sleep(60 + Math.random() * 60);
  if (email.to.startsWith("bob@") && job.attempt <= 2)
    throw new Error("451 mailbox busy, try later");
  if (email.to.startsWith("dave@")) throw new Error("421 service not available");
  if (email.to.startsWith("mallory@")) throw new PermanentError("550 no such mailbox");
  return `250 queued as ${Math.random().toString(36).slice(2, 8)}`;
}
// 4xx is worth retrying; a 5xx SMTP reply (here a PermanentError) is not.
const retryable = (error: unknown) => !(error instanceof PermanentError);
const backoff = { initialDelay: 150, factor: 2 };
const QUEUE = "emails";

// ─── A BullMQ worker (a child process of the demo with --redis) ─────────────────────────────
if (args.worker) {
  if (!args.redis) throw new Error("--worker needs --redis <url>");
  const worker = await startBullWorker<Email, string>({
    connection: args.redis,
    name: QUEUE,
    handler: send,
    concurrency: 2,
    backoff,
    timeout: 2_000,
    // BullMQ hands the error over as it was thrown: a PermanentError is still one here.
    retryable,
  });
  process.stdout.write(pc.dim(`worker ${process.pid} ready\n`));
  const stop = () => void worker.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} else {
  await main();
}

/** What the demo needs of a queue, in memory or on BullMQ. */
interface DemoQueue {
  readonly mode: string;
  attach(observer: AsyncObserver<JobEvent<Email, string>>): () => void;
  readonly events: AsyncIterable<JobEvent<Email, string>>;
  enqueue(email: Email): Promise<string>;
  depth(): Promise<JobDepth>;
  deadLetters(): Promise<readonly DeadLetter<Email>[]>;
  close(): Promise<void>;
}

async function inMemory(): Promise<DemoQueue> {
  const queue = new JobQueue<Email, string>({
    handler: send,
    concurrency: 2,
    maxAttempts: 4,
    backoff,
    timeout: 2_000,
    retryable,
  });
  return {
    mode: "in-memory JobQueue, 2 at a time",
    attach: (observer) => queue.attach(observer),
    events: queue.events,
    enqueue: async (email) => queue.enqueue(email),
    depth: async () => queue.stats,
    deadLetters: async () => queue.deadLetters,
    close: () => queue.close(),
  };
}

async function onBullMQ(url: string, count: number): Promise<DemoQueue> {
  const queue = await BullJobQueue.connect<Email, string>({
    connection: url,
    name: QUEUE,
    maxAttempts: 4,
  });
  const workers: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--worker", "--redis", url],
      { stdio: ["ignore", "inherit", "inherit"] },
    ),
  );
  return {
    mode: `BullMQ on ${url}, ${count} worker process${count === 1 ? "" : "es"}`,
    attach: (observer) => queue.attach(observer),
    events: queue.events,
    enqueue: (email) => queue.enqueue(email),
    depth: async () => {
      const { waiting, active, delayed } = await queue.counts();
      return { waiting, running: active, delayed };
    },
    deadLetters: () => queue.deadLetters(),
    async close() {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise((resolve) => {
              if (w.exitCode !== null || w.signalCode !== null) resolve(undefined);
              w.once("exit", resolve);
              w.kill("SIGTERM");
            }),
        ),
      );
      await queue.close();
    },
  };
}

async function main(): Promise<void> {
  const queue = args.redis
    ? await onBullMQ(args.redis, Number.parseInt(args.workers, 10) || 2)
    : await inMemory();

  const t0 = Date.now();
  const stamp = () => pc.dim(`+${String(Date.now() - t0).padStart(5)} ms`);
  // BullMQ ids are UUIDs: eight characters tell them apart on screen.
  const short = (id: string) => (id.length > 12 ? id.slice(0, 8) : id).padEnd(8);

  process.stdout.write(
    `${pc.bold("Sending email through a flaky SMTP server")} ${pc.dim(`(${queue.mode})`)}\n\n` +
      `${pc.dim("Legend: each line is   time since start · job id · event · details")}\n` +
      `  ${pc.cyan("enqueued ")} accepted by the queue; enqueue() has returned its id\n` +
      `  ${pc.blue("started  ")} a worker took it: attempt n of 4\n` +
      `  ${pc.green("succeeded")} the server said 250; the job is done\n` +
      `  ${pc.yellow("retrying ")} that attempt failed (4xx); the next one starts after the delay shown\n` +
      `  ${pc.red("dead     ")} failed for good (5xx, or 4 attempts): moved to the dead letters\n` +
      `  ${pc.red(pc.bold("PAGER"))}      a second consumer, pulling with for await, pages on the first two dead letters\n` +
      `  ${pc.magenta("batch")}      the task monitor's progress: jobs of the batch done out of all\n\n`,
  );

  const describe = (event: JobEvent<Email, string>): string => {
    switch (event.type) {
      case "enqueued":
        return `${pc.cyan("enqueued ")} ${event.payload.subject} → ${event.payload.to}`;
      case "started":
        return `${pc.blue("started  ")} attempt ${event.attempt}`;
      case "succeeded":
        return `${pc.green("succeeded")} attempt ${event.attempt}: ${event.result}`;
      case "retrying":
        return `${pc.yellow("retrying ")} attempt ${event.attempt} failed (${message(event.error)}); next in ${event.delay} ms`;
      case "dead":
        return `${pc.red("dead     ")} after ${attempts(event.attempts)}: ${message(event.error)}`;
    }
  };
  queue.attach((event) => {
    process.stdout.write(`${stamp()}  ${pc.bold(short(event.id))}  ${describe(event)}\n`);
  });

  // The outcome of each job, as a promise the task monitor can follow: settled by the events.
  const outcomes = new Map<string, { ok: boolean; value: unknown }>();
  const waiting = new Map<string, (outcome: { ok: boolean; value: unknown }) => void>();
  queue.attach((event) => {
    if (event.type !== "succeeded" && event.type !== "dead") return;
    const outcome =
      event.type === "succeeded"
        ? { ok: true, value: event.result }
        : { ok: false, value: event.error };
    const wake = waiting.get(event.id);
    if (wake) wake(outcome);
    else outcomes.set(event.id, outcome); // the event beat enqueue()'s reply
  });
  const outcomeOf = async (id: string): Promise<string> => {
    const outcome =
      outcomes.get(id) ??
      (await new Promise<{ ok: boolean; value: unknown }>((resolve) => waiting.set(id, resolve)));
    outcomes.delete(id);
    waiting.delete(id);
    if (!outcome.ok) throw outcome.value;
    return outcome.value as string;
  };

  // A second consumer, pulling: it pages on the first two dead letters, then its `break` detaches it.
  const pager = (async () => {
    let pages = 0;
    for await (const event of queue.events) {
      if (event.type === "dead") {
        process.stdout.write(
          `${stamp()}  ${pc.red(pc.bold("PAGER"))}     ${short(event.id)} is dead\n`,
        );
        if (++pages === 2) break;
      }
    }
  })();

  const monitor = new TaskMonitor<string>({ concurrency: 100 });
  monitor.attach((event) => {
    if (event.type === "finished" || event.type === "failed") {
      const { finished, failed, total } = event.progress;
      process.stdout.write(
        `${stamp()}  ${pc.magenta("batch")}     ${finished + failed}/${total} done (${event.key} ${event.type === "finished" ? "delivered" : "failed"})\n`,
      );
    }
  });

  let dashboard: Dashboard<Email> | undefined;
  if (args.dashboard) {
    const metrics = new JobMetrics({ depth: () => queue.depth() });
    queue.attach(metrics.observer);
    dashboard = await startDashboard<Email>({
      port: Number.parseInt(args.port, 10),
      registry: metrics.registry,
      mode: queue.mode,
      label: (event) =>
        event.type === "enqueued" ? `${short(event.id)} → ${event.payload.to}` : short(event.id),
    });
    queue.attach(dashboard.jobs);
    monitor.attach(dashboard.tasks);
    process.stdout.write(
      `${pc.bold("dashboard:")} ${dashboard.url}  ${pc.dim(`(metrics: ${dashboard.url}metrics; Ctrl-C to stop)`)}\n\n`,
    );
  }

  const recipients = [
    ["alice@example.com", "Welcome"],
    ["bob@example.com", "Your invoice"],
    ["mallory@invalid.example", "Password reset"],
    ["carol@example.com", "Weekly digest"],
    ["dave@down.example", "Order shipped"],
  ] as const;
  const batch = (n: number, signal?: AbortSignal) =>
    monitor.run(
      recipients.map(([to, subject]) => ({
        key: to,
        run: async () => {
          const id = await queue.enqueue({ to, subject: n === 1 ? subject : `${subject} #${n}` });
          return outcomeOf(id);
        },
      })),
      signal ? { signal } : {},
    );

  if (dashboard) {
    // Batch after batch until Ctrl-C, so that the page has something to show. Ctrl-C reaches
    // the workers too (one process group), so the batch in flight is abandoned, not awaited.
    const stop = new AbortController();
    process.once("SIGINT", () => stop.abort());
    process.once("SIGTERM", () => stop.abort());
    try {
      for (let n = 1; ; n++) {
        await batch(n, stop.signal);
        await sleep(1_000);
        stop.signal.throwIfAborted();
      }
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    }
    await dashboard.close();
    await queue.close();
    process.exit(0);
  }

  const outcomesOfBatch = await batch(1);
  await pager;
  const sent = outcomesOfBatch.filter((o) => o.status === "fulfilled").length;
  const letters = await queue.deadLetters();
  process.stdout.write(`\n${pc.bold("Done")}: ${sent} sent, ${letters.length} dead letter(s).\n`);
  for (const letter of letters) {
    process.stdout.write(
      `  ${short(letter.id)} → ${letter.payload.to}, ${attempts(letter.attempts)}:\n`,
    );
    letter.errors.forEach((error, i) => {
      process.stdout.write(`    ${i + 1}. ${message(error)}\n`);
    });
  }
  process.stdout.write(
    pc.dim(
      "The pager detached itself on break. With the in-memory queue, retry a dead letter once the\n" +
        "cause is fixed with queue.retryDead(id); add --dashboard for the live page and /metrics.\n",
    ),
  );
  await queue.close();
}
