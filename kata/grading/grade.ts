/**
 * Grading a batch: each submission in its own fresh area (area.ts), its runtime specs run in its
 * own sandboxed child process (sandbox.ts), a few at a time, while the lane's compiler checks its
 * types outside the sandbox (TypeScript runs no code, and compile.ts lets it read nothing but the
 * area, node_modules and its own libraries). A compiler kept warm from one submission to the next
 * saves about three seconds of CPU per submission over one started in each sandbox. Each report
 * is handed to `onGraded` as soon as its submission is done and every process it started is
 * gone, so that the command line writes it at once: a crash later loses nothing already graded.
 */
import { lstatSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, relative, resolve, sep } from "node:path";
import { loadWorkbook, repoRoot, steps } from "../layout";
import { type Fingerprints, stubOutcome } from "../mistakes";
import { untouchedStub } from "../runner/cache";
import { CompilerProcess } from "../runner/compiler";
import { compileSteps, joinStep } from "../session";
import { Batch } from "./area";
import { type TestCode, testCodeFrom } from "./formats";
import {
  FINGERPRINTS,
  findSubmission,
  isInside,
  type Pristine,
  readPristine,
  type Submission,
  studentFiles,
  tampering,
} from "./pristine";
import {
  type GradeReport,
  type Protection,
  patternsOf,
  type RawRun,
  scoreOf,
  type Tampering,
} from "./report";
import { chooseProtection, type ProtectionKind, runSandboxed, type SandboxResult } from "./sandbox";
import { readFingerprints } from "./summary";

export interface GradeOptions {
  /** The folders to grade, each a copy of the workbook (or holding one, one folder deep). */
  readonly submissions: readonly string[];
  /** Where the pristine specs are committed; default: this repository. */
  readonly repository?: string;
  readonly ref?: string;
  /** Per-test hang limit (ms); the runner's default otherwise. */
  readonly hangLimitMs?: number;
  /** Wall-clock limit per submission (ms); default two minutes. */
  readonly limitMs?: number;
  /** How many submissions at once; default: one per core. */
  readonly jobs?: number;
  /** The sandbox to use; default: the best available (sandbox.ts). */
  readonly sandbox?: ProtectionKind;
  /** Called when a submission starts. */
  readonly onStart?: (index: number, submission: Submission) => void;
  /** Called with each report as soon as it is made (in completion order). */
  readonly onGraded?: (report: GradeReport, index: number, code: TestCode) => void;
}

export interface Graded {
  readonly reports: GradeReport[];
  readonly pristine: Pristine;
  readonly protection: Protection;
}

export const DEFAULT_LIMIT_MS = 120_000;
const NOTHING_RUN: RawRun = { outcomes: [], errors: [], problems: [], tampering: [] };
/** How many modules left out a report names, one warning each; the rest are counted. */
const NAMED = 10;

/**
 * Checks every submission path first (a UsageError names the first bad one, before anything is
 * created), then grades them all; resolves with the reports in the order given.
 */
export async function grade(options: GradeOptions): Promise<Graded> {
  const submissions = options.submissions.map(findSubmission);
  const repository = resolve(options.repository ?? repoRoot);
  const pristine = readPristine(repository, options.ref ?? "HEAD");
  const protection = chooseProtection(options.sandbox);
  const mounted = protection.kind === "bubblewrap";
  const batch = new Batch(!mounted);
  try {
    // The catalog and the specs, from an area holding nothing of any student's.
    const reference = batch.area(undefined, pristine, !mounted);
    await batch.bundleRunner(reference);
    const workbook = await loadWorkbook(reference);
    const all = steps(workbook);
    const code = testCodeFrom(reference);
    const reports: GradeReport[] = new Array(submissions.length);
    let next = 0;
    const limitMs = options.limitMs ?? DEFAULT_LIMIT_MS;
    const worker = async () => {
      // Each lane's own compiler, kept warm from one submission to the next: one submission's
      // pathological types stop this lane's compiler only, and only for that submission.
      const compiler = new CompilerProcess(limitMs);
      try {
        for (let index = next++; index < submissions.length; index = next++) {
          const submission = submissions[index] as Submission;
          options.onStart?.(index, submission);
          const report = await gradeOne(submission, {
            batch,
            pristine,
            protection,
            reference,
            all,
            limitMs,
            hangLimitMs: options.hangLimitMs,
            mounted,
            compiler,
          });
          reports[index] = report;
          options.onGraded?.(report, index, code);
        }
      } finally {
        compiler.close();
      }
    };
    const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), submissions.length));
    await Promise.all(Array.from({ length: jobs }, worker));
    return { reports, pristine, protection };
  } finally {
    batch.remove();
  }
}

interface Context {
  readonly batch: Batch;
  readonly pristine: Pristine;
  readonly protection: Protection;
  readonly reference: string;
  readonly all: ReturnType<typeof steps>;
  readonly limitMs: number;
  readonly hangLimitMs: number | undefined;
  readonly mounted: boolean;
  /** Checks types outside the sandbox (TypeScript runs no code it checks). */
  readonly compiler: CompilerProcess;
}

async function gradeOne(submission: Submission, context: Context): Promise<GradeReport> {
  const { pristine, protection } = context;
  const started = performance.now();
  const gradedAt = new Date().toISOString();
  const warnings: string[] = [];
  if (submission.root !== submission.given) {
    warnings.push(`Graded the workbook found one folder deep, in ${basename(submission.root)}/.`);
  }
  if (
    isInside(submission.root, pristine.repository) ||
    isInside(pristine.repository, submission.root)
  ) {
    warnings.push(
      `The specs come from the history of ${pristine.repository}, which holds this submission: in a student's clone that history is the student's. Grade with --repo <your own copy> to be sure.`,
    );
  }
  const prints = readFingerprints(pristine.fingerprints, FINGERPRINTS);
  const fingerprints = prints.found ? prints.prints : undefined;
  let run: Awaited<ReturnType<typeof runOne>>;
  try {
    run = await runOne(submission, context, fingerprints, warnings);
  } catch (error) {
    // Whatever a submission holds, the batch goes on: this one's report says why it has no grade.
    const why = `The grader could not grade this submission: ${(error as Error)?.message}`;
    run = {
      result: { end: "crashed", raw: undefined, errors: [why] },
      raw: undefined,
      tampered: [],
    };
  }
  const { result } = run;
  const patterns = patternsOf(
    context.reference,
    context.all,
    run.raw,
    (step) => fingerprints?.steps[step]?.tests.length,
  );
  return {
    version: 2,
    submission: submission.given,
    name: basename(submission.given),
    gradedAt,
    specs: { repository: pristine.repository, ref: pristine.ref, commit: pristine.commit },
    protection,
    run: result.end,
    score: scoreOf(patterns),
    tampered: [
      ...run.tampered,
      ...(run.raw?.tampering ?? []).map((t) => ({
        file: t.file,
        change: "refused" as const,
        line: t.line,
        reason: t.reason,
      })),
    ],
    warnings,
    errors: [...result.errors, ...(run.raw?.errors ?? [])],
    durationMs: Math.round(performance.now() - started),
    patterns,
  };
}

/**
 * Builds the submission's area from its own regular files, runs in the sandbox the steps that
 * are not as handed out, and removes the area.
 */
async function runOne(
  submission: Submission,
  context: Context,
  prints: Fingerprints | undefined,
  warnings: string[],
): Promise<{ result: SandboxResult; raw: RawRun | undefined; tampered: Tampering[] }> {
  const { pristine } = context;
  const files = studentFiles(submission.root);
  for (const { path, reason } of files.leftOut.slice(0, NAMED)) {
    warnings.push(`${path} was left out (${reason}): its step was graded without it.`);
  }
  if (files.leftOut.length > NAMED) {
    warnings.push(
      `${files.leftOut.length - NAMED} more modules were left out for the same reasons.`,
    );
  }
  if (lstatSync(join(submission.root, "exercises")).isSymbolicLink()) {
    warnings.push(
      "exercises/ is a symbolic link: the grader follows no link out of a submission, so nothing behind it was read.",
    );
  }
  const tampered = tampering(submission.root, pristine);
  const area = context.batch.area(
    { submission: submission.root, files: files.taken },
    pristine,
    !context.mounted,
  );
  try {
    // A step still as handed out is not run: its result is what verify recorded of the stub, in
    // the teacher's fingerprints (the key covers every file the step's run reads but the tooling).
    const areaBook = await loadWorkbook(area);
    const areaSteps = steps(areaBook);
    const untouched = areaSteps.flatMap((step) => {
      const stub = untouchedStub(prints, step);
      return stub ? [{ id: step.id, stub }] : [];
    });
    const fresh = areaSteps.filter((s) => !untouched.some((u) => u.id === s.id));
    // The runtime specs in the sandbox, the types here, side by side.
    const [result, compiled] = await Promise.all([
      fresh.length === 0
        ? ({ end: "graded", raw: NOTHING_RUN, errors: [] } satisfies SandboxResult)
        : runSandboxed({
            protection: context.protection,
            tools: context.batch.tools,
            nodeModules: context.batch.nodeModules,
            area,
            limitMs: context.limitMs,
            hangLimitMs: context.hangLimitMs,
            steps: fresh.length === areaSteps.length ? undefined : fresh.map((s) => s.id),
          }),
      compileSteps(context.compiler, areaBook, fresh),
    ]);
    if (!result.raw) return { result, raw: undefined, tampered };
    // The runner names files relative to the area, the compiler absolutely: both are joined in
    // the area, then read against the pristine reference area.
    const runtime = result.raw.outcomes.map((o) => ({ ...o, file: join(area, o.file) }));
    const joined = fresh.map((step) => joinStep(step, runtime, compiled.reply));
    const local = (file: string) => relative(area, file).split(sep).join("/");
    const inReference = <T extends { file: string }>(x: T): T => ({
      ...x,
      file: join(context.reference, local(x.file)),
    });
    const raw: RawRun = {
      errors: result.raw.errors,
      outcomes: [
        ...joined.flatMap((j) => j.outcomes.map(inReference)),
        ...untouched.flatMap(({ id, stub }) =>
          stub.failures.map((f) => stubOutcome(f, join(context.reference, "exercises", id))),
        ),
      ],
      problems: joined.flatMap((j) => j.problems.map(inReference)),
      tampering: joined.flatMap((j) => j.tampering.map((t) => ({ ...t, file: local(t.file) }))),
    };
    return { result, raw, tampered };
  } finally {
    context.batch.removeArea(area);
  }
}
