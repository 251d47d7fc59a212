/**
 * Runtime specs in child processes: one vitest instance in the runner's process (it resolves and
 * transforms modules, and runs no test), whose pool forks the processes that do (./pool.ts), each
 * with a witness (./child.ts) whose signed testimony decides every verdict together with vitest's.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseErrorStacktrace } from "@vitest/utils/source-map";
import { extractSourcemapFromFile } from "@vitest/utils/source-map/node";
import type { TestError } from "vitest";
import type { TestCase, TestModule, TestSpecification, Vitest } from "vitest/node";
import type { Workbook } from "../layout";
import type { TestOutcome } from "../outcome";
import { parseSpecId, redirectPlugin, runOptions, type Target } from "../targets";
import { guardPlugin } from "./guard";
import { Children, type Hang, type Testimony } from "./pool";
import { probePlugins, TransformProbe } from "./probe";

export interface RuntimeOptions {
  readonly workbook: Workbook;
  /** The targets whose redirections the specs' imports follow (none: the student's own work). */
  readonly targets?: readonly Target[];
  /**
   * A fresh process for every spec file (the student's work, grading), or a few processes that
   * run file after file (verify: the workbook's own code, where leaks between files are ours).
   */
  readonly isolate: boolean;
  /** How long a test may block its process before it is killed, in ms. */
  readonly hangLimitMs?: number;
  /** How long one spec file may run in all before its process is killed, in ms (default 2 min). */
  readonly fileLimitMs?: number;
  /** After a test hangs, the rest of its file is skipped (the board) or run again (grading). */
  readonly afterHang?: "skip" | "rerun";
  /** vitest's results cache (test order by duration); off for throw-away workbooks. */
  readonly cache?: boolean;
  /**
   * How many test processes at once, when isolated (default: vitest's, one less than the
   * cores); shared processes run one at a time.
   */
  readonly maxWorkers?: number;
}

/** One spec module to run: its project and its id (a file, or a file under a target). */
export interface RuntimeJob {
  readonly project: "exercises" | "reference";
  readonly moduleId: string;
  /** A process of its own even where processes are shared (see `ownProcess()` in ../run.ts). */
  readonly alone?: boolean;
}

/** The project a job runs in this round: its own, or, after its shared process died, alone. */
const ALONE = { exercises: "exercises-alone", reference: "reference-alone" } as const;
/** The project whose tests a project's run reports: a run alone reports for its own project. */
const reportedAs = (project: string): string =>
  Object.entries(ALONE).find(([, alone]) => alone === project)?.[0] ?? project;

export interface RuntimeResult {
  readonly outcomes: TestOutcome[];
  /** Errors raised outside any test (an unhandled rejection, a crashed process). */
  readonly errors: string[];
  /** What the tests printed, per spec file, oldest first. */
  readonly logs: Map<string, string[]>;
  /** Spec modules whose process was killed (a hang, a crash) or whose testimony was forged. */
  readonly troubled: Set<string>;
}

/** Timeouts for the workbook's own specs: bounds on a hang, not on speed. */
const OURS = { testTimeout: 120_000, hookTimeout: 120_000 } as const;

/** How vitest reports a test process that died under it. */
const KILLED = /Worker exited unexpectedly|Worker kata emitted error/;
const WITNESS = fileURLToPath(new URL("./child.ts", import.meta.url));
const LOG_LINES = 200;
const LOG_LINE_CHARS = 1_000;

export const describeError = (e: unknown): string => {
  if (e && typeof e === "object" && "message" in e) {
    const { name, message } = e as { name?: string; message: string };
    return `${name ?? "Error"}: ${message}`.split("\n").slice(0, 6).join("\n");
  }
  return String(e);
};

const FORGED =
  "Tampering: something in this test process wrote lines on the runner's verdict channel that " +
  "its witness did not sign.";
const OVERRULED = (error: string | undefined) =>
  "Tampering: this test failed when it ran" +
  (error ? ` (${error.split("\n")[0]})` : "") +
  ", but the result reported for it says it passed: something rewrote the test framework's results.";
const UNWITNESSED =
  "No verdict: the test process never confirmed how this test ended (it crashed, exited, was " +
  "killed, or its test framework was tampered with).";
const NOT_REPORTED =
  "The test run ended without a result for this spec file: its test process stopped it, or " +
  "told the runner it was done, before its tests ran.";
const LOST =
  "The test process ended before this test finished (a crash, running out of memory, process.exit(), a kill…): " +
  "see the file's first error.";

export class RuntimeRunner {
  readonly #vitest: Vitest;
  readonly #children: Children;
  readonly #probe: TransformProbe;
  readonly #afterHang: "skip" | "rerun";
  readonly #isolate: boolean;
  readonly #hangs: Hang[] = [];
  #ended: { modules: readonly TestModule[]; errors: readonly unknown[] } | undefined;
  #logs = new Map<string, string[]>();
  #moduleEnded: (() => void) | undefined;

  private constructor(
    vitest: Vitest,
    children: Children,
    probe: TransformProbe,
    options: RuntimeOptions,
  ) {
    this.#vitest = vitest;
    this.#children = children;
    this.#probe = probe;
    this.#afterHang = options.afterHang ?? "skip";
    this.#isolate = options.isolate;
  }

  static async open(options: RuntimeOptions): Promise<RuntimeRunner> {
    let runner: RuntimeRunner | undefined;
    const blockedMs = options.hangLimitMs ?? runOptions.testTimeout + 500;
    const children = new Children(
      // A file's import may take a while on a busy machine; a test never settles within 2 s.
      {
        blockedMs,
        loadingMs: Math.max(8_000, blockedMs * 4),
        wallMs: options.fileLimitMs ?? 120_000,
      },
      (hang) => runner?.hung(hang),
    );
    // tsx turns Node's source maps on, and Node then parses the map of every module it loads:
    // vitest's, vite's and rolldown's, which the runner never shows a stack of. Off meanwhile.
    const maps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    const probe = new TransformProbe();
    const vitest = await RuntimeRunner.#create(options, children, probe, () => runner)
      .catch((error) => {
        probe.close();
        throw error;
      })
      .finally(() => process.setSourceMapsEnabled(maps));
    rememberSourceMaps(vitest);
    runner = new RuntimeRunner(vitest, children, probe, options);
    return runner;
  }

  static async #create(
    options: RuntimeOptions,
    children: Children,
    probe: TransformProbe,
    runner: () => RuntimeRunner | undefined,
  ): Promise<Vitest> {
    const { workbook } = options;
    const { createVitest } = await import("vitest/node");
    const plugins = [
      redirectPlugin(workbook, options.targets ?? []),
      guardPlugin(workbook),
      ...probePlugins(workbook, probe),
    ];
    const test = {
      ...runOptions,
      pool: children.pool(),
      isolate: options.isolate,
      runner: WITNESS,
      include: [],
    };
    return await createVitest(
      "test",
      {
        config: false,
        root: workbook.root,
        watch: false,
        cache: options.cache === false ? false : undefined,
        // Shared processes: one at a time. vitest hands a second worker's files over task by
        // task, and each task evaluates the runner (./child.ts) again in the same process,
        // where the secret on stdin has already been read: every test after the first task
        // would have no verdict. On two cores that is vitest's default anyway.
        maxWorkers: options.isolate ? options.maxWorkers : 1,
        projects: [
          { plugins, test: { ...test, name: "exercises" } },
          // The reference's and the tooling's specs (verify only) drive real servers and nested
          // runs, on machines that may be busy: a timeout there only bounds a true hang, never
          // races the clock (a load of 20 on two cores made 10 s fail sound tooling specs).
          { plugins, test: { ...test, name: "reference", ...OURS } },
          // A file whose shared process died runs again in one of its own.
          { plugins, test: { ...test, isolate: true, name: ALONE.exercises } },
          {
            plugins,
            test: { ...test, isolate: true, name: ALONE.reference, ...OURS },
          },
        ],
        reporters: [
          {
            onUserConsoleLog: (log) => runner()?.log(log.taskId, log.content),
            onTestModuleEnd: () => runner()?.moduleEnded(),
            onTestRunEnd: (modules, errors) => {
              const current = runner();
              if (current) current.#ended = { modules, errors };
            },
          },
        ],
      },
      { logLevel: "silent" },
    );
  }

  /** @internal The parent killed a child (the watchdog calls this). */
  hung(hang: Hang): void {
    this.#hangs.push(hang);
  }

  /** @internal A spec module finished (the reporter calls this). */
  moduleEnded(): void {
    this.#moduleEnded?.();
  }

  /** @internal What a test printed (the reporter calls this). */
  log(taskId: string | undefined, content: string): void {
    const task = taskId ? this.#vitest.state.idMap.get(taskId) : undefined;
    const file = task?.file?.filepath ?? "";
    const kept = (this.#logs.get(file) ?? []).concat(lastLines(content, LOG_LINES));
    this.#logs.set(file, kept.slice(-LOG_LINES));
  }

  /** Forgets what vitest has transformed of these files: they are read afresh next run. */
  invalidate(files: readonly string[]): void {
    for (const file of files) {
      this.#vitest.invalidateFile(file);
      this.#vitest.watcher.invalidates.add(file);
    }
  }

  /**
   * Runs spec modules, again for the tests a hang or crash left without outcome. `progress`
   * hears how many of `jobs` have finished (a module run again is not counted twice).
   */
  async run(
    jobs: readonly RuntimeJob[],
    progress?: (done: number, total: number) => void,
  ): Promise<RuntimeResult> {
    this.#logs = new Map();
    let done = 0;
    this.#moduleEnded = () => {
      done = Math.min(done + 1, jobs.length);
      progress?.(done, jobs.length);
    };
    const results = new Map<string, Map<string, TestOutcome>>();
    const keep = (moduleId: string, outcomes: readonly TestOutcome[]) => {
      const own = results.get(moduleId) ?? new Map<string, TestOutcome>();
      for (const o of outcomes) own.set(`${o.line}:${o.name}`, o);
      results.set(moduleId, own);
    };
    const errors: string[] = [];
    const troubled = new Set<string>();
    let pending: { job: RuntimeJob; testIds?: string[]; alone?: boolean }[] = jobs.map((job) => ({
      job,
      alone: this.#isolate || job.alone === true,
    }));
    // Each round ends with every test run or one more hung test per file; a bound keeps it finite.
    for (let round = 0; pending.length > 0 && round < 50; round++) {
      this.#ended = undefined;
      this.#hangs.length = 0;
      const testimony = this.#children.begin();
      const specifications: TestSpecification[] = pending.map(({ job, testIds, alone }) =>
        this.#vitest
          .getProjectByName(alone && !this.#isolate ? ALONE[job.project] : job.project)
          .createSpecification(job.moduleId, testIds ? { testIds } : undefined),
      );
      await this.#vitest.runTestSpecifications(specifications);
      const ended = this.#ended as
        | { modules: readonly TestModule[]; errors: readonly unknown[] }
        | undefined;
      const modules = new Map((ended?.modules ?? []).map((m) => [m.moduleId, m]));
      const hangs = new Map(this.#hangs.map((h) => [h.moduleId ?? "", h]));
      for (const error of ended?.errors ?? []) {
        const text = describeError(error);
        // A killed or crashed process is reported on its own tests below.
        if (!KILLED.test(text)) errors.push(text);
      }
      const next: typeof pending = [];
      for (const { job, testIds, alone } of pending) {
        const module = modules.get(job.moduleId);
        const hang = hangs.get(job.moduleId);
        const chosen = [...(module?.children.allTests() ?? [])].filter(
          (t) => !testIds || testIds.includes(t.id),
        );
        const unfinished =
          chosen.length === 0 || chosen.some((t) => t.result().state === "pending");
        if (!alone && !hang && unfinished) {
          // Its process was shared, and another file's code ended the process, or the task,
          // before this one was done: run it again, alone.
          next.push({ job, testIds, alone: true });
          continue;
        }
        if (!module) {
          keep(job.moduleId, [notRun(job)]);
          continue;
        }
        if (testimony.forged.has(job.moduleId)) troubled.add(job.moduleId);
        if (hang) troubled.add(job.moduleId);
        const crashed = module.errors().some((e) => KILLED.test(e.message));
        if (crashed) troubled.add(job.moduleId);
        if (chosen.length === 0) {
          keep(job.moduleId, [loadFailure(job.moduleId, module, hang, this.#children.limits)]);
          continue;
        }
        const settled = chosen.filter((t) => t.result().state !== "pending");
        keep(
          job.moduleId,
          settled.map((t) => outcomeOf(job.moduleId, t, module, testimony)),
        );
        const unsettled = chosen.filter((t) => t.result().state === "pending");
        if (unsettled.length === 0) continue;
        if (!hang?.testId) {
          // A crash: what had not finished is lost with the process; saying so is the outcome.
          keep(
            job.moduleId,
            unsettled.map((t) => made(job.moduleId, t, "failed", [LOST, ...loadErrors(module)])),
          );
          continue;
        }
        const index = unsettled.findIndex((t) => t.id === hang.testId);
        const hung = unsettled[index];
        if (!hung) {
          keep(
            job.moduleId,
            unsettled.map((t) => made(job.moduleId, t, "failed", [hangText(hang)])),
          );
          continue;
        }
        keep(job.moduleId, [made(job.moduleId, hung, "failed", [hangText(hang)])]);
        const before = unsettled.slice(0, index);
        const after = unsettled.slice(index + 1);
        const again = this.#afterHang === "rerun" ? [...before, ...after] : before;
        if (this.#afterHang === "skip") {
          keep(
            job.moduleId,
            after.map((t) =>
              made(job.moduleId, t, "skipped", [
                "Not run: an earlier test in this file was stopped because it hung; fix that one first.",
              ]),
            ),
          );
        }
        if (again.length > 0) next.push({ job, testIds: again.map((t) => t.id), alone: true });
      }
      pending = next;
    }
    this.#moduleEnded = undefined;
    const outcomes = [...results.values()].flatMap((own) =>
      [...own.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    );
    return { outcomes, errors, logs: this.#logs, troubled };
  }

  /** Stops every test process at once (quitting in the middle of a run). */
  abort(): void {
    this.#children.killAll();
  }

  async close(): Promise<void> {
    this.#children.close();
    this.#probe.close();
    await this.#vitest.close();
  }
}

type Update = readonly (readonly [string, { errors?: unknown[] } | undefined, unknown])[];

/**
 * vitest maps every failed test's stack, frame by frame, and for a frame in a file it did not
 * transform (vitest's own, fast-check…) reads that whole file from disk and scans it for a source
 * map, again for every frame of every error. A kata of untouched stubs fails some 600 tests: that
 * was half of the runner's time on a cold `npm test`. Files under node_modules do not change
 * while the runner lives, so what they hold is read once; anything else is read as vitest does.
 * (`_testRun.syncUpdateStacks` is vitest's internal; if it is ever gone, vitest's own stays.)
 */
function rememberSourceMaps(vitest: Vitest): void {
  const run = (vitest as unknown as { _testRun?: { syncUpdateStacks?: (u: Update) => void } })
    ._testRun;
  if (typeof run?.syncUpdateStacks !== "function") return;
  const maps = new Map<string, ReturnType<typeof extractSourcemapFromFile>>();
  const read = (file: string) =>
    existsSync(file) ? extractSourcemapFromFile(readFileSync(file, "utf8"), file) : undefined;
  run.syncUpdateStacks = (update) => {
    for (const [taskId, result] of update) {
      const task = vitest.state.idMap.get(taskId);
      const project = vitest.getProjectByName(task?.file.projectName ?? "");
      for (const error of result?.errors ?? []) {
        if (!error || typeof error !== "object") continue;
        (error as { stacks?: unknown }).stacks = parseErrorStacktrace(error as Error, {
          frameFilter: project.config.onStackTrace,
          getSourceMap(file) {
            if (project.vite.moduleGraph.getModuleById(file)?.transformResult) return undefined;
            if (!file.includes("/node_modules/")) return read(file)?.map;
            if (!maps.has(file)) maps.set(file, read(file));
            return maps.get(file)?.map;
          },
        });
      }
    }
  };
}

/**
 * The last `count` lines of what a test printed, each cut to LOG_LINE_CHARS, found from the end:
 * a test may print ten million lines in one call, or a line of a megabyte.
 */
function lastLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let end = text.endsWith("\n") ? text.length - 1 : text.length;
  for (;;) {
    const newline = end > 0 ? text.lastIndexOf("\n", end - 1) : -1;
    const start = newline + 1;
    const more = end - start - LOG_LINE_CHARS;
    lines.push(
      more > 0
        ? `${text.slice(start, start + LOG_LINE_CHARS)}… (${more} more characters)`
        : text.slice(start, end),
    );
    if (newline < 0 || lines.length === count) return lines.reverse();
    end = newline;
  }
}

function hangText(hang: Hang): string {
  const seconds = (hang.silentMs / 1000).toFixed(1);
  return hang.reason === "blocked"
    ? `Timeout: this test ran for more than ${seconds} s without ever letting the event loop ` +
        "run (an infinite loop?), so its process was stopped."
    : "Timeout: this test's process ran past the runner's wall-clock limit, so it was stopped.";
}

const loadErrors = (module: TestModule): string[] =>
  module
    .errors()
    .filter((e) => !KILLED.test(e.message))
    .map(describeError);

/** The outcome of a spec module that never got as far as its tests. */
function loadFailure(
  moduleId: string,
  module: TestModule,
  hang: Hang | undefined,
  limits: { loadingMs: number },
): TestOutcome {
  const messages = hang
    ? hang.reason === "blocked"
      ? [
          `Timeout: loading this spec and the module it tests ran for ${(hang.silentMs / 1000).toFixed(1)} s ` +
            "without ever letting the event loop run (an infinite loop at the top level?), so its process was stopped.",
        ]
      : [
          `Timeout: loading this spec and the module it tests did not finish within ${(limits.loadingMs / 1000).toFixed(0)} s ` +
            "(a top-level await that never settles?), so its process was stopped.",
        ]
    : loadErrors(module);
  if (messages.length === 0) {
    messages.push(
      "The test process ended while loading this spec (a crash, running out of memory, process.exit() or a kill at the top level of a module).",
    );
  }
  return fileFailure(
    moduleId,
    reportedAs(module.project.name),
    "(the spec file could not be loaded)",
    messages,
  );
}

/** The outcome of a spec module that vitest never reported, even in a process of its own. */
const notRun = (job: RuntimeJob): TestOutcome =>
  fileFailure(job.moduleId, job.project, "(the spec file could not be run)", [NOT_REPORTED]);

/** A failure that belongs to a spec file, not to one of its tests. */
function fileFailure(
  moduleId: string,
  project: string,
  name: string,
  messages: string[],
): TestOutcome {
  const { file, target } = parseSpecId(moduleId, project);
  return {
    target,
    file,
    name,
    line: undefined,
    kind: "runtime",
    state: "failed",
    messages,
    durationMs: 0,
  };
}

function made(
  moduleId: string,
  test: TestCase,
  state: TestOutcome["state"],
  messages: string[],
): TestOutcome {
  const { file, target } = parseSpecId(moduleId, reportedAs(test.project.name));
  return {
    target,
    file,
    name: test.fullName,
    line: test.location?.line,
    kind: "runtime",
    state,
    messages,
    durationMs: test.diagnostic()?.duration ?? 0,
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Where in its spec file a test's first error was thrown (the failing `expect`, not the `it(`
 * line), and its expected/actual difference, for the board.
 */
function failureDetail(
  file: string,
  errors: readonly TestError[],
): Pick<TestOutcome, "failedAt" | "diff"> {
  const [first] = errors;
  if (!first) return {};
  const frame = first.stacks?.find((s) => s.file === file);
  const diff = first.diff?.replace(ANSI, "");
  return {
    ...(frame ? { failedAt: { line: frame.line, column: frame.column } } : {}),
    ...(diff && !/no visual difference/.test(diff) ? { diff } : {}),
  };
}

/**
 * A test's verdict: passed only when vitest says so and the witness saw its function return,
 * on a channel nobody forged. vitest's "passed" over the witness's "failed" is tampering.
 */
function outcomeOf(
  moduleId: string,
  test: TestCase,
  module: TestModule,
  testimony: Testimony,
): TestOutcome {
  const result = test.result();
  if (result.state === "skipped") return made(moduleId, test, "skipped", []);
  const errors = [...loadErrors(module), ...(result.errors ?? []).map(describeError)];
  if (result.state === "failed" || errors.length > 0) {
    const failed = made(moduleId, test, "failed", errors.length > 0 ? errors : [UNWITNESSED]);
    return { ...failed, ...failureDetail(failed.file, result.errors ?? []) };
  }
  if (testimony.forged.has(moduleId)) return made(moduleId, test, "failed", [FORGED]);
  const verdict = testimony.verdicts.get(test.id);
  if (!verdict) return made(moduleId, test, "failed", [UNWITNESSED]);
  if (!verdict.ok) return made(moduleId, test, "failed", [OVERRULED(verdict.error)]);
  return made(moduleId, test, "passed", []);
}
