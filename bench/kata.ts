/**
 * The kata's own budgets (`npm run bench -- kata`), on a fresh clone of HEAD:
 *
 * - the student's `npm test` on the untouched kata, cold (no cache of the kata's, vitest's or
 *   tsx's), median of five runs: at most 3 s;
 * - grading a class of 30 (kata/grading/class-fixture.ts: untouched, solved, partly solved,
 *   catalogued mistakes and hostile submissions) in one batch: at most 180 s.
 *
 * CPU time is the whole machine's (Linux's /proc/stat), which is what a batch of sandboxes,
 * compilers and test processes costs; elsewhere only wall time is given. Both figures move with
 * the machine's load, which is printed beside them.
 *
 * @module
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { loadavg, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface KataBudgets {
  readonly npmTestColdSeconds: readonly number[];
  readonly classSeconds: number;
  readonly classCpuSeconds: number | undefined;
  readonly classSubmissions: number;
  readonly load: readonly number[];
}

/** The machine's busy CPU time so far, in seconds (Linux), or undefined. */
function busyCpu(): number | undefined {
  if (!existsSync("/proc/stat")) return undefined;
  const [, user = 0, nice = 0, system = 0] = (
    readFileSync("/proc/stat", "utf8").split("\n")[0] ?? ""
  )
    .split(/\s+/)
    .map(Number);
  const hz = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return (user + nice + system) / hz;
}

/** Runs `command`, failing loudly unless it exits with one of `codes`; returns wall and CPU s. */
function timed(command: string[], cwd: string, codes: readonly number[]) {
  const cpu = busyCpu();
  const started = performance.now();
  const run = spawnSync(command[0] as string, command.slice(1), { cwd, encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  const after = busyCpu();
  if (!codes.includes(run.status ?? -1)) {
    throw new Error(`${command.join(" ")} exited with ${run.status}:\n${run.stderr.slice(-2000)}`);
  }
  return { seconds, cpu: cpu === undefined || after === undefined ? undefined : after - cpu };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

export function runKataBudgets(): KataBudgets {
  const work = mkdtempSync(join(tmpdir(), "kata-bench-"));
  try {
    const clone = join(work, "clone");
    execFileSync("git", ["clone", "--quiet", root, clone]);
    symlinkSync(join(root, "node_modules"), join(clone, "node_modules"), "junction");
    // Cold: the kata's and vitest's caches (in node_modules/.cache), and tsx's.
    const cold = () => {
      rmSync(join(root, "node_modules", ".cache"), { recursive: true, force: true });
      rmSync(join(tmpdir(), `tsx-${userInfo().uid}`), { recursive: true, force: true });
    };
    const npmTest: number[] = [];
    for (let i = 0; i < 5; i++) {
      cold();
      // The untouched kata is red: npm test exits 1 and shows the board.
      npmTest.push(timed(["npm", "test"], clone, [1]).seconds);
    }
    console.log(`  npm test, cold: ${npmTest.map((s) => s.toFixed(2)).join(", ")} s`);

    const cls = join(work, "class");
    execFileSync(
      process.execPath,
      ["kata/launch.mjs", "kata/grading/class-fixture.ts", cls, "30"],
      {
        cwd: clone,
      },
    );
    const submissions = readdirSync(cls).sort();
    const graded = timed(
      [
        "npm",
        "run",
        "grade",
        "--",
        "--out",
        join(work, "reports"),
        ...submissions.map((s) => join(cls, s)),
      ],
      clone,
      [0],
    );
    console.log(`  class of ${submissions.length}: ${graded.seconds.toFixed(1)} s`);
    return {
      npmTestColdSeconds: npmTest,
      classSeconds: graded.seconds,
      classCpuSeconds: graded.cpu,
      classSubmissions: submissions.length,
      load: loadavg(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The two budgets, as lines for the terminal. */
export function kataReport(b: KataBudgets): string {
  const test = median(b.npmTestColdSeconds);
  const cpu = b.classCpuSeconds === undefined ? "" : `, ${b.classCpuSeconds.toFixed(0)} CPU-s`;
  return [
    "kata budgets (a fresh clone of HEAD)",
    `  npm test on the untouched kata, cold: median ${test.toFixed(2)} s of 5  ${test <= 3 ? "met" : "NOT MET"} (at most 3 s)`,
    `  grading a class of ${b.classSubmissions}: ${b.classSeconds.toFixed(1)} s${cpu}  ${b.classSeconds <= 180 ? "met" : "NOT MET"} (at most 180 s)`,
    `  load average at the end: ${b.load.map((l) => l.toFixed(2)).join(" ")}`,
  ].join("\n");
}
