/**
 * The worker the BullMQ specs run in a child process:
 * `node --import tsx bullmq-spec-worker.ts <redis url> <queue name> [hang|finish]`.
 * What a job does is in its payload ({@link SpecJob}). Prints `ready` once connected, and
 * `hanging <id>` when it starts a job it will never finish (the job for the SIGKILL spec);
 * with `finish`, it finishes those jobs instead.
 */
import { startBullWorker } from "./bullmq-queue";

/** A job of the specs: doubles `value`, after failing its first `fail` attempts. */
export interface SpecJob {
  readonly value: number;
  /** How many attempts fail before one succeeds. */
  readonly fail?: number;
  /** Fail with a `PermanentError`, which the worker does not retry. */
  readonly permanent?: boolean;
  /** Progress reports to make before finishing. */
  readonly progress?: readonly number[];
  /** Never finish (unless the worker was started with `finish`). */
  readonly hang?: boolean;
}

class PermanentError extends Error {
  override readonly name = "PermanentError";
}

const [connection, name, mode = "hang"] = process.argv.slice(2);
if (!connection || !name)
  throw new Error("usage: bullmq-spec-worker.ts <redis url> <queue> [hang|finish]");

const worker = await startBullWorker<SpecJob, number>({
  connection,
  name,
  concurrency: 2,
  backoff: { initialDelay: 20, factor: 2 },
  retryable: (error) => !(error instanceof PermanentError),
  // Short locks and frequent stalled checks: a killed worker's job comes back within seconds.
  lockDuration: 1_000,
  stalledInterval: 500,
  handler: async (job, context) => {
    if (job.hang && mode === "hang") {
      process.stdout.write(`hanging ${context.id}\n`);
      await new Promise(() => {});
    }
    for (const progress of job.progress ?? []) await context.progress(progress);
    if (job.permanent) throw new PermanentError(`no such mailbox (attempt ${context.attempt})`);
    if (context.attempt <= (job.fail ?? 0)) throw new Error(`failure ${context.attempt}`);
    return job.value * 2;
  },
});
process.on("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
process.stdout.write("ready\n");
