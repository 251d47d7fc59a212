/**
 * Grading a batch: each submission in its own fresh area (area.ts), run in its own sandboxed
 * child process (sandbox.ts), a few at a time. Each report is handed to `onGraded` as soon as its
 * submission is done and every process it started is gone, so that the command line writes it
 * at once: a crash later loses nothing already graded.
 */
import { lstatSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { loadWorkbook, repoRoot, steps } from "../layout";
import { type Fingerprints, stubOutcome } from "../mistakes";
import { untouchedStub } from "../runner/cache";
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
    const workbook = await loadWorkbook(reference);
    const all = steps(workbook);
    const code = testCodeFrom(reference);
    const reports: GradeReport[] = new Array(submissions.length);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < submissions.length; index = next++) {
        const submission = submissions[index] as Submission;
        options.onStart?.(index, submission);
        const report = await gradeOne(submission, {
          batch,
          pristine,
          protection,
          reference,
          all,
          limitMs: options.limitMs ?? DEFAULT_LIMIT_MS,
          hangLimitMs: options.hangLimitMs,
          mounted,
        });
        reports[index] = report;
        options.onGraded?.(report, index, code);
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
      ...(result.raw?.tampering ?? []).map((t) => ({
        file: t.file,
        change: "refused" as const,
        line: t.line,
        reason: t.reason,
      })),
    ],
    warnings,
    errors: [...result.errors, ...(result.raw?.errors ?? [])],
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
    const untouched = steps(await loadWorkbook(area)).flatMap((step) => {
      const stub = untouchedStub(prints, step);
      return stub ? [{ id: step.id, stub }] : [];
    });
    const toRun = context.all.map((s) => s.id).filter((id) => !untouched.some((u) => u.id === id));
    const result: SandboxResult =
      toRun.length === 0
        ? {
            end: "graded",
            raw: { outcomes: [], errors: [], problems: [], tampering: [] },
            errors: [],
          }
        : await runSandboxed({
            protection: context.protection,
            tools: context.batch.tools,
            nodeModules: context.batch.nodeModules,
            area,
            limitMs: context.limitMs,
            hangLimitMs: context.hangLimitMs,
            steps: toRun.length === context.all.length ? undefined : toRun,
          });
    // Outcomes name files relative to the area: read them against the pristine reference area.
    const raw = result.raw && {
      ...result.raw,
      outcomes: [
        ...result.raw.outcomes,
        ...untouched.flatMap(({ id, stub }) =>
          stub.failures.map((f) => stubOutcome(f, `exercises/${id}`)),
        ),
      ].map((o) => ({ ...o, file: join(context.reference, o.file) })),
      problems: result.raw.problems.map((p) => ({ ...p, file: join(context.reference, p.file) })),
    };
    return { result, raw, tampered };
  } finally {
    context.batch.removeArea(area);
  }
}
