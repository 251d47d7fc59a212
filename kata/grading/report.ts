/**
 * The report of one graded submission (grade.json, schema: kata/grade.schema.json) and how it is
 * made from what the sandboxed runner found. The runner only sends raw outcomes; statuses, scores
 * and everything else in the report are decided here, in the grader, outside the sandbox.
 */
import { relative, sep } from "node:path";
import { stepStatuses } from "../board";
import type { CompileProblem } from "../compile";
import type { Step } from "../layout";
import type { TestOutcome } from "../outcome";

export interface GradeTest {
  readonly name: string;
  readonly file: string;
  readonly line: number | null;
  readonly kind: "runtime" | "type";
  readonly status: "passed" | "failed" | "skipped";
  readonly message: string | null;
  readonly durationMs: number;
}

export type StepStatusWord = "solved" | "failing" | "does-not-compile" | "no-tests" | "not-run";

export interface GradeStep {
  readonly id: string;
  readonly title: string;
  readonly status: StepStatusWord;
  readonly passed: number;
  readonly total: number;
  readonly compileErrors: readonly {
    file: string;
    line: number;
    column: number;
    message: string;
  }[];
  readonly tests: readonly GradeTest[];
}

export interface GradePattern {
  readonly id: string;
  readonly title: string;
  readonly solved: number;
  readonly total: number;
  readonly steps: readonly GradeStep[];
}

/**
 * A spec the submission changed (`modified`, `deleted`, `added`: the ref's version was run), or a
 * student module the runner refused (`refused`: it imported the test framework or the kata's
 * tooling, or rewrote a result; its tests failed), with the line and the reason.
 */
export interface Tampering {
  readonly file: string;
  readonly change: "modified" | "deleted" | "added" | "refused";
  readonly line?: number;
  readonly reason?: string;
}

/** What kept the student's code in: see sandbox.ts. */
export interface Protection {
  readonly kind: "bubblewrap" | "node-permission" | "none";
  /** One sentence: what it allowed and forbade, or why there was none. */
  readonly detail: string;
}

/** How the sandboxed run ended. */
export type RunEnd =
  /** The runner reported every step. */
  | "graded"
  /** It ran past the wall-clock limit and was killed with everything it started. */
  | "timed-out"
  /** It ended without a result (killed itself, crashed, printed garbage). */
  | "crashed"
  /** Not run: the submission could not be read. */
  | "not-run";

export interface GradeReport {
  readonly version: 2;
  readonly submission: string;
  readonly name: string;
  readonly gradedAt: string;
  readonly specs: { readonly repository: string; readonly ref: string; readonly commit: string };
  readonly protection: Protection;
  readonly run: RunEnd;
  readonly score: {
    readonly stepsSolved: number;
    readonly steps: number;
    readonly testsPassed: number;
    readonly tests: number;
  };
  readonly tampered: readonly Tampering[];
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
  readonly durationMs: number;
  readonly patterns: readonly GradePattern[];
}

/** What the runner inside the sandbox sends back: file paths relative to its area. */
export interface RawRun {
  readonly outcomes: readonly TestOutcome[];
  readonly errors: readonly string[];
  readonly problems: readonly CompileProblem[];
  /** Student modules the runner refused, files relative to the area. */
  readonly tampering?: readonly { file: string; line: number; reason: string }[];
}

const slashes = (path: string): string => path.split(sep).join("/");

/**
 * Per pattern and step: the statuses, from a run's outcomes (`undefined`: nothing ran).
 * `expected(step)` is how many tests the step's pristine specs hold (from the fingerprints): a
 * step whose spec could not load, or never ran, reports fewer, and still counts them all, or a
 * module broken on purpose would shrink its step to one test and raise the class percentage.
 */
export function patternsOf(
  root: string,
  all: readonly Step[],
  run: RawRun | undefined,
  expected: (step: string) => number | undefined = () => undefined,
): GradePattern[] {
  const where = (file: string) => slashes(relative(root, file));
  const statuses = stepStatuses(all, run?.outcomes ?? [], run?.problems ?? []);
  const patterns = [...new Set(all.map((s) => s.pattern))];
  return patterns.map((pattern) => {
    const own = statuses.filter((s) => s.step.pattern === pattern);
    const gradeSteps = own.map((status): GradeStep => {
      const tests = status.outcomes.map(
        (o): GradeTest => ({
          name: o.name,
          file: where(o.file),
          line: o.line ?? null,
          kind: o.kind,
          status: o.state,
          message: o.state === "passed" ? null : o.messages.join("\n") || null,
          durationMs: Math.max(0, Math.round(o.durationMs * 1000) / 1000),
        }),
      );
      return {
        id: status.step.id,
        title: status.step.entry.title,
        status: !run
          ? "not-run"
          : status.solved
            ? "solved"
            : status.problems.length > 0
              ? "does-not-compile"
              : tests.length === 0
                ? "no-tests"
                : "failing",
        passed: status.passed,
        total: Math.max(tests.length, expected(status.step.id) ?? 0),
        compileErrors: status.problems.map((p) => ({ ...p, file: where(p.file) })),
        tests,
      };
    });
    return {
      id: pattern.id,
      title: pattern.title,
      solved: gradeSteps.filter((s) => s.status === "solved").length,
      total: gradeSteps.length,
      steps: gradeSteps,
    };
  });
}

/** The score of a report's patterns. */
export function scoreOf(patterns: readonly GradePattern[]): GradeReport["score"] {
  const allSteps = patterns.flatMap((p) => p.steps);
  return {
    stepsSolved: allSteps.filter((s) => s.status === "solved").length,
    steps: allSteps.length,
    testsPassed: allSteps.reduce((n, s) => n + s.passed, 0),
    tests: allSteps.reduce((n, s) => n + s.total, 0),
  };
}

/** Every step of a report, in catalog order. */
export const stepsOf = (report: GradeReport): GradeStep[] =>
  report.patterns.flatMap((p) => p.steps);
