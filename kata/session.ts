/**
 * A kata session: one vitest instance and one compiler worker, kept alive for as many runs as the
 * student needs (watch mode reruns a step in a few hundred milliseconds), or opened for a single
 * run (`npm test`, grading). It runs the student's work in `exercises/` and makes sure student
 * code cannot take it down:
 *
 * - an infinite loop fails its test with a clear message (watchdog.ts stops the blocked worker,
 *   and the session runs the other tests again);
 * - a syntax or type error in a stub is reported with its file and line (compile.ts), and the
 *   other steps still run;
 * - `process.exit()` in a test is turned into an error by vitest, and the worker's stray output
 *   never reaches the terminal.
 */
import { Writable } from "node:stream";
import type { TestCase, TestModule, TestSpecification, Vitest } from "vitest/node";
import type { CompileProblem, CompileReply } from "./compile";
import { CompileThread } from "./compile-thread";
import type { Step, Workbook } from "./layout";
import type { TestOutcome } from "./outcome";
import { moduleOutcomes } from "./run";
import { runOptions } from "./targets";
import { type Hang, Watchdog, watchdogSetupFile } from "./watchdog";

export type { CompileProblem };

export interface SessionOptions {
  readonly workbook: Workbook;
  /**
   * How long a test may block its worker before it is stopped, in milliseconds. By default half
   * a second more than the per-test timeout, which a live worker always reports first.
   */
  readonly hangLimitMs?: number;
  /**
   * After a test hangs, the tests after it in the same spec file are reported as not run
   * (`"skip"`, fast, for the board) or run again one hang at a time (`"rerun"`, for grading).
   */
  readonly afterHang?: "skip" | "rerun";
  /** Check that the student's modules compile (default: yes). */
  readonly compile?: boolean;
  /** vitest's results cache (test order by duration); off for throw-away workbooks. */
  readonly cache?: boolean;
}

/** One run's findings. */
export interface StepsRun {
  readonly outcomes: TestOutcome[];
  /** Errors raised outside any test (an unhandled rejection, a crashed worker). */
  readonly errors: string[];
  /** Compile errors in the student's modules. */
  readonly problems: CompileProblem[];
  /** What the tests printed (console.log), per spec file, oldest first. */
  readonly logs: ReadonlyMap<string, readonly string[]>;
  readonly durationMs: number;
}

/** One spec file to run, whole or only some of its tests. */
interface Job {
  readonly file: string;
  readonly testIds?: readonly string[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * A failure message as a student should read it: no colour codes from vitest's internals, and a
 * parse error reduced to its message and location instead of a character-by-character frame.
 */
export function cleanMessage(message: string): string {
  const text = message.replace(ANSI, "");
  const parse = /Transform failed[^[]*\[(\w+)\]\s*(.+)\n[\s\S]*?\[\s*([^\]\s]+:\d+:\d+)\s*\]/.exec(
    text,
  );
  if (parse) return `SyntaxError: ${parse[2]?.trim()} (${parse[3]})`;
  return text;
}

const LOG_LINES = 200;

export class Session {
  readonly workbook: Workbook;
  readonly #vitest: Vitest;
  readonly #watchdog: Watchdog;
  readonly #compiler: CompileThread;
  readonly #afterHang: "skip" | "rerun";
  #hang: Hang | undefined;
  #ended: { modules: readonly TestModule[]; errors: readonly unknown[] } | undefined;
  #logs = new Map<string, string[]>();
  #closed = false;
  readonly #compile: boolean;

  private constructor(
    workbook: Workbook,
    vitest: Vitest,
    watchdog: Watchdog,
    compiler: CompileThread,
    options: SessionOptions,
  ) {
    this.workbook = workbook;
    this.#vitest = vitest;
    this.#watchdog = watchdog;
    this.#compiler = compiler;
    this.#afterHang = options.afterHang ?? "skip";
    this.#compile = options.compile ?? true;
  }

  /** Starts the compiler worker and vitest, side by side. */
  static async open(options: SessionOptions): Promise<Session> {
    const { workbook } = options;
    const compiler = new CompileThread();
    let session: Session | undefined;
    const watchdog = new Watchdog(options.hangLimitMs ?? runOptions.testTimeout + 500, (hang) =>
      session?.stop(hang),
    );
    try {
      const { createVitest } = await import("vitest/node");
      // What a worker writes straight to its stdout (not through console) would garble the board.
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      const vitest = await createVitest(
        "test",
        {
          config: false,
          root: workbook.root,
          watch: false,
          cache: options.cache === false ? false : undefined,
          projects: [
            {
              test: {
                ...runOptions,
                name: "exercises",
                include: [],
                setupFiles: [watchdogSetupFile],
                env: { KATA_WATCHDOG: watchdog.name },
              },
            },
          ],
          reporters: [
            {
              onTestModuleEnd: (module) => watchdog.finished(module.moduleId),
              onUserConsoleLog: (log) => session?.log(log.taskId, log.content),
              onTestRunEnd: (modules, errors) => session?.ended(modules, errors),
            },
          ],
        },
        { logLevel: "silent" },
        { stdout: sink, stderr: sink },
      );
      session = new Session(workbook, vitest, watchdog, compiler, options);
      return session;
    } catch (error) {
      watchdog.close();
      await compiler.close();
      throw error;
    }
  }

  /** @internal What a test printed (the reporter calls this). */
  log(taskId: string | undefined, content: string): void {
    const task = taskId ? this.#vitest.state.idMap.get(taskId) : undefined;
    const file = task?.file?.filepath ?? "";
    const lines = this.#logs.get(file) ?? [];
    lines.push(...content.replace(/\n$/, "").split("\n"));
    this.#logs.set(file, lines.slice(-LOG_LINES));
  }

  /** @internal A run ended (the reporter calls this). */
  ended(modules: readonly TestModule[], errors: readonly unknown[]): void {
    this.#ended = { modules, errors };
  }

  /**
   * @internal The watchdog found a blocked worker. Cancelling a run waits for running tests to
   * finish, which a blocked worker never does; a second cancel while the first is pending
   * terminates the workers (vitest's pool, "force").
   */
  stop(hang: Hang): void {
    if (this.#hang) return;
    this.#hang = hang;
    void this.#vitest.cancelCurrentRun("test-failure");
    void this.#vitest.cancelCurrentRun("test-failure");
  }

  /**
   * Runs every spec of `steps` (runtime and type-level) against the student's modules, and checks
   * that those modules compile. Files are read afresh on every run.
   */
  async run(steps: readonly Step[]): Promise<StepsRun> {
    if (this.#closed) throw new Error("the session is closed");
    const started = performance.now();
    this.#logs = new Map();
    for (const file of steps.flatMap((s) => [...s.modules, ...s.specs])) {
      // Vite caches transformed modules until told; the worker's own cache goes with it.
      this.#vitest.invalidateFile(file);
      this.#vitest.watcher.invalidates.add(file);
    }
    const compiled: Promise<CompileReply | Error> = this.#compiler
      .request({
        workbook: this.workbook,
        typeSpecs: steps.flatMap((s) => s.typeSpecs),
        modules: this.#compile ? steps.flatMap((s) => s.modules) : [],
      })
      .catch((error: Error) => error);
    const runtime = await this.#runtime(steps.flatMap((s) => s.specs));
    const reply = await compiled;
    const errors = [...runtime.errors];
    if (reply instanceof Error) errors.push(reply.message);
    const outcomes = [...runtime.outcomes, ...(reply instanceof Error ? [] : reply.outcomes)];
    return {
      outcomes: outcomes.map((o) => ({ ...o, messages: o.messages.map(cleanMessage) })),
      errors: errors.map(cleanMessage),
      problems: reply instanceof Error ? [] : reply.problems,
      logs: this.#logs,
      durationMs: performance.now() - started,
    };
  }

  /** Runs spec files, again and again while a test hangs, until every test has an outcome. */
  async #runtime(files: readonly string[]): Promise<{ outcomes: TestOutcome[]; errors: string[] }> {
    const results = new Map<string, Map<string, TestOutcome>>();
    const keep = (file: string, outcomes: readonly TestOutcome[]) => {
      const own = results.get(file) ?? new Map<string, TestOutcome>();
      for (const o of outcomes) own.set(`${o.line}:${o.name}`, o);
      results.set(file, own);
    };
    const errors: string[] = [];
    const project = this.#vitest.getProjectByName("exercises");
    let jobs: Job[] = files.map((file) => ({ file }));
    // Each round ends with every test run or one more hung test; a bound keeps it finite anyway.
    for (let round = 0; jobs.length > 0 && round < 100; round++) {
      this.#hang = undefined;
      this.#ended = undefined;
      // A file run again prints again: keep only its latest output.
      for (const job of jobs) this.#logs.delete(job.file);
      const specifications: TestSpecification[] = jobs.map(({ file, testIds }) =>
        project.createSpecification(file, testIds ? { testIds: [...testIds] } : undefined),
      );
      this.#watchdog.arm();
      try {
        await this.#vitest.runTestSpecifications(specifications);
      } finally {
        this.#watchdog.disarm();
      }
      const hang = this.#hang as Hang | undefined;
      const ended = this.#ended as
        | { modules: readonly TestModule[]; errors: unknown[] }
        | undefined;
      const modules = new Map((ended?.modules ?? []).map((m) => [m.moduleId, m]));
      if (!hang) {
        for (const error of ended?.errors ?? []) errors.push(describe(error));
      }
      const next: Job[] = [];
      for (const job of jobs) {
        const module = modules.get(job.file);
        const finished = module && ["passed", "failed", "skipped"].includes(module.state());
        if (!module) continue;
        if (finished || !hang) {
          keep(job.file, chosen(module, job));
        } else if (hang.moduleId !== job.file) {
          next.push(job);
        } else if (!hang.testId) {
          keep(job.file, [loadHang(job.file, hang)]);
        } else {
          const rerun = this.#afterTestHang(module, job, hang.testId, keep);
          if (rerun.length > 0) next.push({ file: job.file, testIds: rerun });
        }
      }
      jobs = next;
    }
    const outcomes = [...results.values()].flatMap((own) =>
      [...own.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    );
    return { outcomes, errors };
  }

  /** Records a hung test and what becomes of the others in its file; returns the ids to rerun. */
  #afterTestHang(
    module: TestModule,
    job: Job,
    hungId: string,
    keep: (file: string, outcomes: readonly TestOutcome[]) => void,
  ): string[] {
    const tests = [...module.children.allTests()].filter(
      (t) => !job.testIds || job.testIds.includes(t.id),
    );
    const index = tests.findIndex((t) => t.id === hungId);
    const hung = tests[index];
    if (!hung) return tests.map((t) => t.id);
    const limit = (this.#watchdog.limitMs / 1000).toFixed(1);
    keep(job.file, [
      outcome(job.file, hung, "failed", [
        `Timeout: this test ran for more than ${limit} s without ever letting the event loop ` +
          "run (an infinite loop?), so its worker was stopped.",
      ]),
    ]);
    const before = tests.slice(0, index);
    const after = tests.slice(index + 1);
    if (this.#afterHang === "rerun") return [...before, ...after].map((t) => t.id);
    keep(
      job.file,
      after.map((t) =>
        outcome(job.file, t, "skipped", [
          "Not run: an earlier test in this file was stopped because it hung; fix that one first.",
        ]),
      ),
    );
    // The tests before it did run, but their results may have died with the worker.
    return before.map((t) => t.id);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watchdog.close();
    await Promise.all([this.#vitest.close(), this.#compiler.close()]);
  }
}

/** A module's outcomes, only for the tests a job asked for. */
function chosen(module: TestModule, job: Job): TestOutcome[] {
  const all = moduleOutcomes(module);
  if (!job.testIds) return all;
  const names = new Set(
    [...module.children.allTests()]
      .filter((t) => job.testIds?.includes(t.id))
      .map((t) => t.fullName),
  );
  return all.filter((o) => names.has(o.name));
}

function outcome(
  file: string,
  test: TestCase,
  state: TestOutcome["state"],
  messages: string[],
): TestOutcome {
  return {
    target: "exercises",
    file,
    name: test.fullName,
    line: test.location?.line,
    kind: "runtime",
    state,
    messages,
    durationMs: 0,
  };
}

function loadHang(file: string, hang: Hang): TestOutcome {
  const seconds = (hang.silentMs / 1000).toFixed(1);
  return {
    target: "exercises",
    file,
    name: "(the spec file could not be loaded)",
    line: undefined,
    kind: "runtime",
    state: "failed",
    messages: [
      `Timeout: loading this spec and the module it tests ran for ${seconds} s without ever ` +
        "letting the event loop run (an infinite loop at the top level?), so its worker was stopped.",
    ],
    durationMs: 0,
  };
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) {
    const { name, message } = error as { name?: string; message: string };
    return `${name ?? "Error"}: ${message}`.split("\n").slice(0, 6).join("\n");
  }
  return String(error);
}
