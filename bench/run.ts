/**
 * `npm run bench`: measures the references (patterns/observer, patterns/observer-async,
 * patterns/pubsub) against the event libraries people use, in one run.
 *
 * 1. The speed cases (bench/suites/*.bench.ts) run in vitest's benchmark mode, one file at a
 *    time, each in a fresh process.
 * 2. The memory cases run in a child process with `--expose-gc` (bench/memory.ts).
 * 3. It prints the tables and the issue's targets, writes bench.json (machine, every figure)
 *    and rewrites docs/benchmarks.md.
 *
 * `npm run bench -- notify-1 publish` runs only the cases whose file names contain one of the
 * words (`memory` for the memory cases) and prints them, leaving bench.json and the page alone.
 * `npm run bench -- kata` measures the kata's own budgets instead (bench/kata.ts: the student's
 * cold `npm test`, grading a class of 30), about four minutes.
 *
 * @module
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { fileURLToPath } from "node:url";
import type { RunnerTask, RunnerTestFile } from "vitest";
import { createVitest, type Reporter, type TestModule } from "vitest/node";
import { SPEED_CASES } from "./cases";
import type { MemoryReport } from "./memory";
import {
  type BenchReport,
  checkTargets,
  consoleReport,
  type Machine,
  markdownReport,
  type RawSpeed,
  type SpeedCaseResult,
  speedCase,
} from "./report";

const root = fileURLToPath(new URL("..", import.meta.url));
const filters = process.argv.slice(2);
if (filters.length === 1 && filters[0] === "kata") {
  const { kataReport, runKataBudgets } = await import("./kata");
  console.log(kataReport(runKataBudgets()));
  process.exit(0);
}
const full = filters.length === 0;
// A word that selects nothing would run nothing and look like a pass: refuse it by name.
const unknown = filters.filter((f) => f !== "memory" && !SPEED_CASES.some((c) => c.id.includes(f)));
if (unknown.length > 0) {
  const cases = [...SPEED_CASES.map((c) => c.id), "memory"].join(", ");
  process.stderr.write(
    `No bench case matches ${unknown.map((f) => `"${f}"`).join(", ")}. Cases: ${cases}.\n`,
  );
  process.exit(2);
}
const started = performance.now();
const startedAt = new Date();
const loadBefore = loadavg();
// The 1-minute load average every 5 s: the figures mean little without it on a shared machine.
const loadDuring: number[] = [];
const sampler = setInterval(() => loadDuring.push(loadavg()[0] as number), 5000);

/** Prints one line per case as it finishes: a run lasts minutes, and should show it is alive. */
const progress: Reporter = {
  onTestModuleEnd(module: TestModule) {
    const name = module.moduleId.split("/").at(-1)?.replace(".bench.ts", "");
    const seconds = (module.diagnostic().duration / 1000).toFixed(1);
    const state = module.state() === "passed" ? "done" : module.state();
    console.log(`  ${name}: ${state} (${seconds} s)`);
  },
};

async function runSpeed(): Promise<SpeedCaseResult[]> {
  const words = filters.filter((f) => f !== "memory");
  if (!full && words.length === 0) return [];
  console.log("speed cases (vitest bench):");
  const vitest = await createVitest("benchmark", {
    root,
    config: false,
    watch: false,
    // One file at a time, each in its own process: cases must not compete for the two cores,
    // nor share a JIT warmed up (or deoptimised) by another case.
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
    isolate: true,
    benchmark: { include: ["bench/suites/*.bench.ts"], reporters: [progress] },
  });
  try {
    await vitest.start(words);
    const files = vitest.state.getFiles();
    const failures = files.flatMap((file) => failed(file));
    if (failures.length > 0) throw new Error(`benchmarks failed:\n${failures.join("\n")}`);
    const suites = new Map<string, RawSpeed[]>();
    for (const file of files) {
      for (const suite of file.tasks) {
        if (suite.type !== "suite") continue;
        const raw = suite.tasks.flatMap((task) => {
          const b = task.result?.benchmark;
          // Calls per second from the median call: on a shared machine, the mean also counts
          // the calls another process pre-empted; the median does not.
          return b
            ? [{ name: task.name, hz: 1000 / b.median, rme: b.rme, samples: b.sampleCount }]
            : [];
        });
        suites.set(suite.name, raw);
      }
    }
    return SPEED_CASES.flatMap((c) => {
      const raw = suites.get(c.id);
      return raw ? [speedCase(c.id, c.title, c.opsPerCall, raw)] : [];
    });
  } finally {
    await vitest.close();
  }
}

/** Every error of a file's tasks, as `file › task: message` lines. */
function failed(task: RunnerTask | RunnerTestFile, path = ""): string[] {
  const here = path ? `${path} › ${task.name}` : task.name;
  const own = (task.result?.errors ?? []).map((e) => `  ${here}: ${e.message}`);
  const children = "tasks" in task ? task.tasks.flatMap((t) => failed(t, here)) : [];
  return [...own, ...children];
}

/** The memory cases, in a child process that may force garbage collections. */
function runMemory(): Promise<MemoryReport | undefined> {
  if (!full && !filters.includes("memory")) return Promise.resolve(undefined);
  console.log("memory cases (node --expose-gc bench/memory.ts)…");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "bench/memory.ts"], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`bench/memory.ts exited with code ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").at(-1) as string) as MemoryReport);
    });
  });
}

function version(name: string): string {
  const json = readFileSync(`${root}node_modules/${name}/package.json`, "utf8");
  return (JSON.parse(json) as { version: string }).version;
}

function machine(): Machine {
  const cpu = cpus();
  let os = `${type()} ${release()}`;
  try {
    // "Ubuntu 24.04.2 LTS" says more than a kernel version, where lsb_release exists.
    os = `${execFileSync("lsb_release", ["-ds"], { encoding: "utf8" }).trim()} (${os})`;
  } catch {
    // not there: the kernel will do
  }
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown CPU",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    os,
    date: startedAt.toISOString(),
    loadBefore,
    loadDuring,
    loadAfter: loadavg(),
    library: Object.fromEntries(
      ["vitest", "tinybench", "eventemitter3", "mitt", "tseep", "emittery", "qlobber"].map(
        (name) => [name, version(name)],
      ),
    ),
  };
}

const speed = await runSpeed();
const memory = await runMemory();
clearInterval(sampler);
const report: BenchReport = {
  machine: machine(),
  wallSeconds: (performance.now() - started) / 1000,
  speed,
  memory,
  targets: checkTargets(speed, memory),
};
console.log(consoleReport(report));
if (full) {
  writeFileSync(`${root}bench.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${root}docs/benchmarks.md`, markdownReport(report));
  console.log("\nwrote bench.json and docs/benchmarks.md");
} else {
  console.log("\na partial run: bench.json and docs/benchmarks.md were left as they were");
}
