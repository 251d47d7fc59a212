/**
 * A kata session: the runner (kata/runner/) opened for the student's work in `exercises/`, kept
 * alive for as many runs as watch mode needs, or opened for a single run (`npm test`, grading).
 * Student code never runs in this process: each spec file runs in a child process of its own,
 * whose verdicts are witnessed and signed (see kata/runner/index.ts), so that
 *
 * - an infinite loop, a never-settling top-level await, `process.exit()`, a crash or a kill fails
 *   that step's tests with a plain reason, and every other step still runs;
 * - a syntax or type error in a stub is reported with its file and line (compile.ts);
 * - a module nested too deep for a compiler's stack fails its own step, never the runner
 *   (runner/probe.ts, `compileSteps()`);
 * - a stub that imports the test framework or the kata's tooling gets a tampering verdict (its
 *   imports are refused when resolved); one that rewrites the framework's results gets a tampering
 *   verdict on those tests.
 *
 * Results of steps whose files did not change are reused (runner/cache.ts).
 */
import { readFileSync } from "node:fs";
import type { CompileProblem, CompileReply, CompileRequest, Tampering } from "./compile";
import type { Step, Workbook } from "./layout";
import { type Fingerprints, stubOutcome } from "./mistakes";
import type { TestOutcome } from "./outcome";
import { contentKey, StepCache, type StepResult, untouchedStub } from "./runner/cache";
import { CompilerProcess, CompilerTimeout } from "./runner/compiler";
import { RuntimeRunner } from "./runner/runtime";

export type { CompileProblem, Tampering };

export interface SessionOptions {
  readonly workbook: Workbook;
  /**
   * How long a test may block its process before it is stopped, in milliseconds. By default half
   * a second more than the per-test timeout, which a live process always reports first.
   */
  readonly hangLimitMs?: number;
  /**
   * After a test hangs, the tests after it in the same spec file are reported as not run
   * (`"skip"`, fast, for the board) or run again one hang at a time (`"rerun"`, for grading).
   */
  readonly afterHang?: "skip" | "rerun";
  /**
   * Check types here (default: yes): the type-level specs, whether the student's modules compile,
   * and what they import. Grading checks them outside its sandbox, in a compiler kept warm for
   * the whole batch (grading/grade.ts), and joins them to this session's run with `joinStep()`.
   */
  readonly compile?: boolean;
  /**
   * A fresh process per spec file (grading), or by default a couple of processes shared by the
   * steps of one run (`npm test`, watch mode: the student's own code on their own machine; a
   * file whose process dies is run again alone, and the frozen intrinsics and the witness keep
   * one step's patches from passing another's tests).
   */
  readonly isolate?: boolean;
  /** Caches (vitest's test order, the kata's results of unchanged steps); off for throw-away workbooks. */
  readonly cache?: boolean;
  /**
   * What verify recorded of the untouched stubs (exercises/fingerprints.json): a step whose files
   * are still as handed out is not run, and its recorded failures are its result.
   */
  readonly fingerprints?: Fingerprints;
}

/** One run's findings. */
export interface StepsRun {
  readonly outcomes: TestOutcome[];
  /** Errors raised outside any test (an unhandled rejection). */
  readonly errors: string[];
  /** Compile errors in the student's modules. */
  readonly problems: CompileProblem[];
  /** Tampering found in the student's modules (their steps' tests are failed, not run). */
  readonly tampering: Tampering[];
  /** What the tests printed (console.log), per spec file, oldest first. */
  readonly logs: ReadonlyMap<string, readonly string[]>;
  readonly durationMs: number;
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

const within = (step: Step, file: string) => file.startsWith(step.exerciseDir);

/** Reads spec files a line at a time, each file once per run. */
function specLines(): (file: string, line: number) => string | undefined {
  const files = new Map<string, readonly string[]>();
  return (file, line) => {
    let text = files.get(file);
    if (!text) {
      try {
        text = readFileSync(file, "utf8").split(/\r?\n/);
      } catch {
        text = [];
      }
      files.set(file, text);
    }
    return text[line - 1];
  };
}

/** A failure's place with the source of its line: the `expect(…)` the student reads first. */
export function withSource(
  outcome: TestOutcome,
  lineOf: (file: string, line: number) => string | undefined,
): TestOutcome {
  const at = outcome.failedAt;
  if (!at || at.source !== undefined) return outcome;
  const source = lineOf(outcome.file, at.line)?.trim();
  return source ? { ...outcome, failedAt: { ...at, source } } : outcome;
}

/** What a compiler that checked nothing replies. */
const NOTHING: CompileReply = { outcomes: [], problems: [], tampering: [] };

/** What the compiler is asked about `steps`: their type specs, and their modules. */
export function compileRequest(workbook: Workbook, steps: readonly Step[]): CompileRequest {
  return {
    workbook,
    typeSpecs: steps.flatMap((s) => s.typeSpecs),
    modules: steps.flatMap((s) => s.modules),
  };
}

/** The reply standing in for a compiler that failed on `step`: a failed test saying why. */
function unchecked(step: Step, error: Error): CompileReply {
  const reason = error.message.split("\n")[0] ?? "";
  const outcome: TestOutcome = {
    target: "exercises",
    file: step.typeSpecs[0] ?? step.specs[0] ?? step.exerciseDir,
    name: "(the step's types could not be checked)",
    line: undefined,
    kind: "type",
    state: "failed",
    messages: [`The step's type specs and modules were not checked: ${reason}.`],
    durationMs: 0,
  };
  return { ...NOTHING, outcomes: [outcome] };
}

const merge = (replies: readonly CompileReply[]): CompileReply => ({
  outcomes: replies.flatMap((r) => r.outcomes),
  problems: replies.flatMap((r) => r.problems),
  tampering: replies.flatMap((r) => r.tampering),
});

/**
 * The compiler's reply about `steps`. Where it fails on them together (it crashed: a module nested
 * too deep for its stack), it is asked about each step alone, so that only a step that breaks it
 * goes unchecked; a step no compiler has checked is never solved. A compiler that ran out of time
 * is not asked again: each step would wait as long.
 */
export async function compileSteps(
  compiler: CompilerProcess,
  workbook: Workbook,
  steps: readonly Step[],
): Promise<{ reply: CompileReply; unchecked: ReadonlySet<Step> }> {
  const ask = (some: readonly Step[]) =>
    compiler.compile(compileRequest(workbook, some)).catch((error: Error) => error);
  const together = await ask(steps);
  if (!(together instanceof Error)) return { reply: together, unchecked: new Set() };
  const again = steps.length > 1 && !(together instanceof CompilerTimeout);
  const alone: (CompileReply | Error)[] = [];
  for (const step of steps) alone.push(again ? await ask([step]) : together);
  const failed = new Set(steps.filter((_, i) => alone[i] instanceof Error));
  return {
    reply: merge(alone.map((r, i) => (r instanceof Error ? unchecked(steps[i] as Step, r) : r))),
    unchecked: failed,
  };
}

/**
 * One step's result from its runtime outcomes and the compiler's reply (both may hold other
 * steps' too): a step whose module tampers has its tests failed unrun, whatever they did.
 */
export function joinStep(
  step: Step,
  runtime: readonly TestOutcome[],
  reply: CompileReply,
  lines: (file: string, line: number) => string | undefined = specLines(),
): Omit<StepResult, "logs"> {
  const tampering = reply.tampering.filter((t) => within(step, t.file));
  const outcomes =
    tampering.length > 0
      ? refused(step, tampering)
      : [...runtime, ...reply.outcomes]
          .filter((o) => within(step, o.file))
          .map((o) => withSource({ ...o, messages: o.messages.map(cleanMessage) }, lines));
  return { outcomes, problems: reply.problems.filter((p) => within(step, p.file)), tampering };
}

/** The step's tests, failed without running them: its module tampers. */
function refused(step: Step, found: readonly Tampering[]): TestOutcome[] {
  const reasons = found.map(
    (t) => `Tampering: ${t.file.slice(step.exerciseDir.length + 1)}:${t.line} ${t.reason}.`,
  );
  return [...step.specs, ...step.typeSpecs].map((file) => ({
    target: "exercises",
    file,
    name: "(not run: the step's module tampers with the runner)",
    line: undefined,
    kind: file.endsWith(".test-d.ts") ? "type" : "runtime",
    state: "failed",
    messages: [
      ...reasons,
      "A module may not import the test framework, the assertion library, the kata's tooling or files outside the workbook, nor reach for the runner's internals: remove what the line above names.",
    ],
    durationMs: 0,
  }));
}

/** The recorded result of `step` if its files are its untouched stub's (`content` is their key). */
function untouched(
  step: Step,
  content: string,
  fingerprints: Fingerprints | undefined,
): StepResult | undefined {
  const stub = untouchedStub(fingerprints, step, content);
  if (!stub) return undefined;
  const lines = specLines();
  return {
    outcomes: stub.failures.map((f) => withSource(stubOutcome(f, step.exerciseDir), lines)),
    problems: [],
    tampering: [],
    logs: step.specs.map((file) => [file, []]),
  };
}

export class Session {
  readonly workbook: Workbook;
  readonly #options: SessionOptions;
  readonly #compile: boolean;
  readonly #cache: StepCache | undefined;
  #started: Promise<{ runtime: RuntimeRunner; compiler: CompilerProcess | undefined }> | undefined;
  #runtime: RuntimeRunner | undefined;
  #closed = false;

  private constructor(options: SessionOptions) {
    this.workbook = options.workbook;
    this.#options = options;
    this.#compile = options.compile ?? true;
    this.#cache =
      options.cache === false
        ? undefined
        : new StepCache(
            options.workbook.root,
            JSON.stringify([this.#compile, options.afterHang, options.hangLimitMs]),
          );
  }

  /**
   * A session on the workbook. The compiler's process and vitest start, side by side, at the
   * first run with a step not in the cache: `npm test` on unchanged steps starts neither.
   */
  static async open(options: SessionOptions): Promise<Session> {
    return new Session(options);
  }

  #start(): Promise<{ runtime: RuntimeRunner; compiler: CompilerProcess | undefined }> {
    this.#started ??= (async () => {
      const compiler = this.#compile ? new CompilerProcess() : undefined;
      try {
        const runtime = await RuntimeRunner.open({
          workbook: this.workbook,
          isolate: this.#options.isolate ?? false,
          hangLimitMs: this.#options.hangLimitMs,
          afterHang: this.#options.afterHang,
          cache: this.#options.cache,
        });
        this.#runtime = runtime;
        return { runtime, compiler };
      } catch (error) {
        compiler?.close();
        throw error;
      }
    })();
    return this.#started;
  }

  /**
   * Runs every spec of `steps` (runtime and type-level) against the student's modules, and checks
   * that those modules compile and import nothing they must not. Files are read afresh every run.
   */
  async run(steps: readonly Step[]): Promise<StepsRun> {
    if (this.#closed) throw new Error("the session is closed");
    const started = performance.now();
    const contents = new Map(steps.map((s) => [s, contentKey(s)]));
    const keys = new Map(steps.map((s) => [s, this.#cache?.key(contents.get(s) as string)]));
    const cached = new Map<Step, StepResult>();
    for (const [step, key] of keys) {
      const hit =
        untouched(step, contents.get(step) as string, this.#options.fingerprints) ??
        (key ? this.#cache?.get(key) : undefined);
      if (hit) cached.set(step, hit);
    }
    const fresh = steps.filter((s) => !cached.has(s));
    if (fresh.length === 0) return this.#combine(steps, cached, [], started);
    const { runtime: runner, compiler } = await this.#start();
    runner.invalidate(fresh.flatMap((s) => [...s.modules, ...s.specs]));

    // The compiler and the test processes work side by side. A module the compiler finds
    // tampering is refused at resolution in its test process too (runner/guard.ts), so its
    // run fails to load; its verdict is the compiler's, below.
    const jobs = (of: readonly Step[], alone?: true) =>
      of.flatMap((s) =>
        s.specs.map((moduleId) => ({ project: "exercises" as const, moduleId, alone })),
      );
    const [compiled, first] = await Promise.all([
      compiler
        ? compileSteps(compiler, this.workbook, fresh)
        : { reply: NOTHING, unchecked: new Set<Step>() },
      runner.run(jobs(fresh)),
    ]);
    const { reply } = compiled;
    // A module that tampers in a way only the compiler sees (a computed import) has run by then,
    // and where processes are shared, beside other steps: theirs run again, each alone.
    const tampered = fresh.filter((s) => reply.tampering.some((t) => within(s, t.file)));
    const others = fresh.filter((s) => !tampered.includes(s));
    const runtime =
      tampered.length > 0 && others.length > 0 && !this.#options.isolate
        ? await runner.run(jobs(others, true))
        : first;
    const errors = [...runtime.errors];
    const results = new Map<Step, StepResult>(cached);
    const lines = specLines();
    for (const step of fresh) {
      const joined = joinStep(step, runtime.outcomes, reply, lines);
      const { outcomes } = joined;
      const result: StepResult = {
        ...joined,
        logs: step.specs.map((f) => [f, runtime.logs.get(f) ?? []]),
      };
      results.set(step, result);
      const key = keys.get(step);
      const trusted =
        key &&
        !compiled.unchecked.has(step) &&
        runtime.errors.length === 0 &&
        !step.specs.some((f) => runtime.troubled.has(f)) &&
        !outcomes.some((o) => o.messages.some((m) => /^(Timeout|No verdict)/.test(m)));
      if (trusted) this.#cache?.set(key, result);
    }
    return this.#combine(steps, results, errors, started);
  }

  #combine(
    steps: readonly Step[],
    results: ReadonlyMap<Step, StepResult>,
    errors: readonly string[],
    started: number,
  ): StepsRun {
    const ordered = steps.map((s) => results.get(s) as StepResult);
    return {
      outcomes: ordered.flatMap((r) => r.outcomes),
      errors: errors.map(cleanMessage),
      problems: ordered.flatMap((r) => r.problems),
      tampering: ordered.flatMap((r) => r.tampering),
      logs: new Map(ordered.flatMap((r) => r.logs)),
      durationMs: performance.now() - started,
    };
  }

  /** Stops the test processes of a run in progress: its tests fail, and `run` returns. */
  abort(): void {
    this.#runtime?.abort();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const started = await this.#started?.catch(() => undefined);
    started?.compiler?.close();
    await started?.runtime.close();
  }
}
