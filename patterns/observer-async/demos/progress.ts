/**
 * The task monitor with a live progress bar: 20 imports, 5 at a time, two of which fail.
 *
 * The source article's Dask example, in TypeScript: tasks run with a concurrency limit, and an
 * observer turns the monitor's events into a progress bar. On a terminal the bar redraws in place
 * (`\r`); piped into a file or CI log, each event is one plain line instead.
 *
 *   npm run demo progress
 */
import pc from "picocolors";
import { type TaskEvent, TaskMonitor } from "../index";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const tty = process.stdout.isTTY === true;
const WIDTH = 30;

function bar(event: TaskEvent<number>): string {
  const { total, finished, failed, running } = event.progress;
  const done = finished + failed;
  const filled = Math.round((WIDTH * done) / total);
  const percent = String(Math.round((100 * done) / total)).padStart(3);
  return (
    `${pc.green("█".repeat(filled))}${pc.dim("░".repeat(WIDTH - filled))} ${percent}% ` +
    `${done}/${total}  ${pc.green(`✓ ${finished}`)}  ${pc.red(`✗ ${failed}`)}  ${pc.dim(`running ${running}`)}`
  );
}

/** The observer: one function, two renderings. */
function render(event: TaskEvent<number>): void {
  const line =
    event.type === "finished"
      ? `${pc.green("✓")} ${event.key} ${pc.dim(`${event.value} rows, ${event.ms} ms`)}`
      : event.type === "failed"
        ? `${pc.red("✗")} ${event.key} ${pc.red(String((event.error as Error).message))}`
        : undefined;
  if (tty) {
    // Failures scroll above the bar; the bar itself is redrawn in place.
    if (event.type === "failed" && line) process.stdout.write(`\r\x1b[K${line}\n`);
    process.stdout.write(`\r\x1b[K${bar(event)}`);
  } else if (line) {
    const { finished, failed, total } = event.progress;
    process.stdout.write(`[${String(finished + failed).padStart(2)}/${total}] ${line}\n`);
  }
}

// Twenty files to import; each takes 150–650 ms; two are corrupt.
const files = Array.from({ length: 20 }, (_, i) => `sales-${String(i + 1).padStart(2, "0")}.csv`);
const corrupt = new Set(["sales-07.csv", "sales-15.csv"]);
const tasks = files.map((file) => ({
  key: file,
  run: async (signal: AbortSignal) => {
    await sleep(150 + Math.random() * 500);
    signal.throwIfAborted();
    if (corrupt.has(file)) throw new Error("checksum mismatch");
    return 1000 + Math.floor(Math.random() * 9000);
  },
}));

const monitor = new TaskMonitor<number>({ concurrency: 5, timeout: 5_000 });
monitor.attach(render);

process.stdout.write(`${pc.bold("Importing")} ${files.length} files, 5 at a time\n\n`);
const started = Date.now();
const outcomes = await monitor.run(tasks);
if (tty) process.stdout.write("\n");

// Outcomes come back in input order, whatever order the imports finished in.
const rows = outcomes.reduce((sum, o) => sum + (o.status === "fulfilled" ? o.value : 0), 0);
const failed = outcomes.flatMap((o, i) => (o.status === "rejected" ? [files[i]] : []));
process.stdout.write(
  `\n${pc.bold("Done")} in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `${rows.toLocaleString("en")} rows imported, ${failed.length} failed (${failed.join(", ")}).\n` +
    pc.dim("Sequentially, the same imports would have taken about five times as long.\n"),
);
