/**
 * The class summary: what a teacher needs for the next lesson. Per step, how many students solved
 * it; per catalogued mistake, how many students' failures match its fingerprint (the exact set of
 * tests that mistake fails, recorded by verify in exercises/fingerprints.json). A table for the
 * terminal, and CSV files for a spreadsheet.
 */
import pc from "picocolors";
import {
  matchFingerprint,
  parseFingerprints,
  type Fingerprints as StepFingerprints,
} from "../mistakes";
import type { GradeReport } from "./report";
import { stepsOf } from "./report";

/** One catalogued mistake: the step it belongs to and the tests it fails. */
export interface Fingerprint {
  readonly step: string;
  readonly name: string;
  readonly hint: string;
  /** Full names (`describe > it`) of the tests it fails. */
  readonly tests: readonly string[];
}

/** What the fingerprint file said: the mistakes, or why there are none. */
export type Fingerprints =
  | {
      readonly found: true;
      /** The file as kata/mistakes.ts reads it, for `matchFingerprint`. */
      readonly prints: StepFingerprints;
      readonly mistakes: readonly Fingerprint[];
    }
  | { readonly found: false; readonly why: string };

/**
 * Reads exercises/fingerprints.json as committed (`text`: its content, or undefined if absent),
 * through kata/mistakes.ts, which owns the format (`parseFingerprints`) and the matching.
 */
export function readFingerprints(text: string | undefined, where: string): Fingerprints {
  if (text === undefined) return { found: false, why: `${where} is not committed` };
  let prints: StepFingerprints;
  try {
    prints = parseFingerprints(text);
  } catch (error) {
    const what = error instanceof SyntaxError ? "is not JSON" : "is not a fingerprint file";
    return { found: false, why: `${where} ${what} (${(error as Error).message})` };
  }
  const mistakes = Object.entries(prints.steps).flatMap(([step, entry]) =>
    entry.mistakes.map((m) => ({ step, name: m.name, hint: m.hint ?? "", tests: m.failing })),
  );
  return { found: true, prints, mistakes };
}

/**
 * The catalogued mistakes this report's failures look like, step by step: for each step, the
 * best of `matchFingerprint` (an equal fingerprint, or the closest at least half alike); never
 * for a step whose every test fails, as an untouched stub's do.
 */
export function matchMistakes(report: GradeReport, fingerprints: Fingerprints): Fingerprint[] {
  if (report.run !== "graded" || !fingerprints.found) return [];
  return stepsOf(report).flatMap((step) => {
    const failing = step.tests.filter((t) => t.status !== "passed").map((t) => t.name);
    const matches = matchFingerprint(fingerprints.prints, step.id, failing);
    const best = matches[0]?.score;
    return matches
      .filter((m) => m.score === best)
      .flatMap((m) => fingerprints.mistakes.filter((f) => f.step === step.id && f.name === m.name));
  });
}

export interface ClassSummary {
  readonly students: number;
  readonly steps: readonly {
    readonly id: string;
    readonly title: string;
    readonly solved: number;
  }[];
  readonly mistakes: readonly (Fingerprint & { readonly students: number })[];
  readonly fingerprints: Fingerprints;
}

/** Counts, over the reports, who solved each step and whose failures match each mistake. */
export function summarize(
  reports: readonly GradeReport[],
  fingerprints: Fingerprints,
): ClassSummary {
  const first = reports.find((r) => r.patterns.length > 0);
  const steps = first ? stepsOf(first) : [];
  const mistakes = fingerprints.found ? fingerprints.mistakes : [];
  const matches = reports.map((r) => matchMistakes(r, fingerprints));
  return {
    students: reports.length,
    steps: steps.map((s) => ({
      id: s.id,
      title: s.title,
      solved: reports.filter((r) => stepsOf(r).some((t) => t.id === s.id && t.status === "solved"))
        .length,
    })),
    mistakes: mistakes
      .map((m) => ({ ...m, students: matches.filter((found) => found.includes(m)).length }))
      .filter((m) => m.students > 0)
      .sort((a, b) => b.students - a.students || a.step.localeCompare(b.step)),
    fingerprints,
  };
}

const BAR = 10;
const bar = (done: number, total: number): string => {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR);
  return pc.green("█".repeat(filled)) + pc.dim("░".repeat(BAR - filled));
};

/** The class summary as a table, in 80 columns. */
export function renderClassSummary(summary: ClassSummary): string {
  const n = summary.students;
  const idWidth = Math.min(36, Math.max(10, ...summary.steps.map((s) => s.id.length)));
  const lines = ["", pc.bold(`Class summary: ${n} submission${n === 1 ? "" : "s"}`), ""];
  lines.push(pc.dim(`  ${"step".padEnd(idWidth)}  ${"solved".padStart(7)}`));
  for (const step of summary.steps) {
    const id = step.id.length > idWidth ? `${step.id.slice(0, idWidth - 1)}…` : step.id;
    lines.push(
      `  ${id.padEnd(idWidth)}  ${`${step.solved}/${n}`.padStart(7)}  ${bar(step.solved, n)}`,
    );
  }
  lines.push("", pc.bold("Misconceptions"));
  if (!summary.fingerprints.found) {
    lines.push(pc.dim(`  none matched: ${summary.fingerprints.why}`));
  } else if (summary.mistakes.length === 0) {
    lines.push(pc.dim("  no student's failures match a catalogued mistake"));
  } else {
    for (const m of summary.mistakes) {
      const who = `${m.students} student${m.students === 1 ? "" : "s"}`;
      const text = `${who.padStart(12)}  ${m.step} ${m.name}`;
      lines.push(`  ${text.length > 76 ? `${text.slice(0, 75)}…` : text}`);
    }
  }
  lines.push("");
  return lines.join("\n");
}

/**
 * One CSV field. A text a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`: a
 * folder's name is the student's choice in some hand-in flows) gets a leading `'`, as OWASP
 * advises; a comma, quote or line break gets the field quoted.
 */
const cell = (value: string | number): string => {
  const text =
    typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csv = (rows: readonly (readonly (string | number)[])[]): string =>
  `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;

/** class-summary.csv: a row per step, then a row per matched mistake. */
export function classSummaryCsv(summary: ClassSummary): string {
  return csv([
    ["kind", "step", "name", "students", "of", "hint"],
    ...summary.steps.map((s) => ["step solved", s.id, s.title, s.solved, summary.students, ""]),
    ...summary.mistakes.map((m) => [
      "mistake",
      m.step,
      m.name,
      m.students,
      summary.students,
      m.hint,
    ]),
  ]);
}

/** grades.csv: a row per submission. */
export function gradesCsv(reports: readonly GradeReport[], fingerprints: Fingerprints): string {
  return csv([
    [
      "name",
      "steps solved",
      "steps",
      "tests passed",
      "tests",
      "tampered",
      "protection",
      "run",
      "mistakes",
      "submission",
    ],
    ...reports.map((r) => [
      r.name,
      r.score.stepsSolved,
      r.score.steps,
      r.score.testsPassed,
      r.score.tests,
      r.tampered.length,
      r.protection.kind,
      r.run,
      fingerprints.found
        ? matchMistakes(r, fingerprints)
            .map((m) => `${m.step}/${m.name}`)
            .join(" ")
        : `(unknown: ${fingerprints.why})`,
      r.submission,
    ]),
  ]);
}
