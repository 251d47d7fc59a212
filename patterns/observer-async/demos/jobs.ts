/**
 * A job queue sending email through a flaky server: retries with exponential backoff, dead letters.
 *
 * The source article's Celery `send_notification.delay(...)`, in TypeScript: enqueue() returns an
 * id at once, a worker sends the email later, temporary failures are retried after 150, 300,
 * 600 ms, a job that keeps failing ends in the dead-letter list, and a permanent failure goes
 * there at once. An observer logs every event; a `for await` loop plays the pager.
 *
 *   npm run demo jobs
 */
import pc from "picocolors";
import { type JobEvent, JobQueue } from "../index";

interface Email {
  readonly to: string;
  readonly subject: string;
}

const attempts = (n: number) => `${n} attempt${n === 1 ? "" : "s"}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A permanent failure: retrying cannot help, so the queue should not. */
class PermanentError extends Error {}

// A pretend SMTP server: bob's mailbox is busy twice, dave's server is down for good, and
// mallory's mailbox does not exist.
const tries = new Map<string, number>();
async function send(email: Email): Promise<string> {
  const n = (tries.get(email.to) ?? 0) + 1;
  tries.set(email.to, n);
  await sleep(60 + Math.random() * 60);
  if (email.to.startsWith("bob@") && n <= 2) throw new Error("451 mailbox busy, try later");
  if (email.to.startsWith("dave@")) throw new Error("421 service not available");
  if (email.to.startsWith("mallory@")) throw new PermanentError("550 no such mailbox");
  return `250 queued as ${Math.random().toString(36).slice(2, 8)}`;
}

const queue = new JobQueue<Email, string>({
  handler: send,
  concurrency: 2,
  maxAttempts: 4,
  backoff: { initialDelay: 150, factor: 2 },
  timeout: 2_000,
  // 4xx is worth retrying; a 5xx SMTP reply (here a PermanentError) is not.
  retryable: (error) => !(error instanceof PermanentError),
});

const t0 = Date.now();
const stamp = () => pc.dim(`+${String(Date.now() - t0).padStart(4)} ms`);
const describe = (event: JobEvent<Email, string>): string => {
  switch (event.type) {
    case "enqueued":
      return `${pc.cyan("enqueued ")} ${event.payload.subject} → ${event.payload.to}`;
    case "started":
      return `${pc.blue("started  ")} attempt ${event.attempt}`;
    case "succeeded":
      return `${pc.green("succeeded")} attempt ${event.attempt}: ${event.result}`;
    case "retrying":
      return `${pc.yellow("retrying ")} attempt ${event.attempt} failed (${(event.error as Error).message}); next in ${event.delay} ms`;
    case "dead":
      return `${pc.red("dead     ")} after ${attempts(event.attempts)}: ${(event.error as Error).message}`;
  }
};
queue.attach((event) => {
  process.stdout.write(`${stamp()}  ${pc.bold(event.id)}  ${describe(event)}\n`);
});

// A second consumer, pulling: it pages on the first two dead letters, then its `break` detaches it.
const pager = (async () => {
  let pages = 0;
  for await (const event of queue.events) {
    if (event.type === "dead") {
      process.stdout.write(`${stamp()}  ${pc.red(pc.bold("PAGER"))}  ${event.id} is dead\n`);
      if (++pages === 2) break;
    }
  }
})();

for (const [to, subject] of [
  ["alice@example.com", "Welcome"],
  ["bob@example.com", "Your invoice"],
  ["mallory@invalid.example", "Password reset"],
  ["carol@example.com", "Weekly digest"],
  ["dave@down.example", "Order shipped"],
]) {
  const id = queue.enqueue({ to: to as string, subject: subject as string });
  process.stdout.write(`${stamp()}  enqueue() returned ${id} at once\n`);
}

await queue.idle();
await pager;

const { succeeded, dead } = queue.stats;
process.stdout.write(`\n${pc.bold("Idle")}: ${succeeded} sent, ${dead} dead letter(s).\n`);
for (const letter of queue.deadLetters) {
  process.stdout.write(`  ${letter.id} → ${letter.payload.to}, ${attempts(letter.attempts)}:\n`);
  letter.errors.forEach((error, i) => {
    process.stdout.write(`    ${i + 1}. ${(error as Error).message}\n`);
  });
}
process.stdout.write(
  pc.dim(
    `Observers still attached: ${queue.events.size}, the log (the pager detached itself on break).\n` +
      "Retry a dead letter once the cause is fixed: queue.retryDead(id).\n",
  ),
);
