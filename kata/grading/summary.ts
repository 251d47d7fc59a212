/**
 * The class summary: what a teacher needs for the next lesson. Per step, how many students solved
 * it; per catalogued mistake, how many students' failures match its fingerprint (the exact set of
 * tests that mistake fails, recorded by verify in exercises/fingerprints.json). A table for the
 * terminal, and CSV files for a spreadsheet.
 */
import pc from "picocolors";
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
  | { readonly found: true; readonly mistakes: readonly Fingerprint[] }
  | { readonly found: false; readonly why: string };

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];

/**
 * Reads exercises/fingerprints.json as committed (`text`: its content, or undefined if absent).
 * The one place that knows the file's shape: a step id → its mistakes, each with a name, a hint
 * and the full names of the tests it fails; as an object keyed by name or a list, optionally under
 * `steps`. (kata/mistakes.ts will own the format and the matching; this adapter is what grading
 * needs from it.)
 */
export function readFingerprints(text: string | undefined, where: string): Fingerprints {
  if (text === undefined) return { found: false, why: `${where} is not committed` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { found: false, why: `${where} is not JSON (${(error as Error).message})` };
  }
  const steps = isObject(data) && isObject(data.steps) ? data.steps : data;
  if (!isObject(steps)) return { found: false, why: `${where} has no steps` };
  const mistakes: Fingerprint[] = [];
  for (const [step, value] of Object.entries(steps)) {
    const inner = isObject(value) && "mistakes" in value ? value.mistakes : value;
    const entries: [string, unknown][] = Array.isArray(inner)
      ? inner.map((m) => [isObject(m) && typeof m.name === "string" ? m.name : "", m])
      : isObject(inner)
        ? Object.entries(inner)
        : [];
    for (const [name, m] of entries) {
      if (!isObject(m) || name === "") continue;
      const tests = strings(m.tests ?? m.fails ?? m.failing ?? m.fingerprint);
      if (tests.length === 0) continue;
      mistakes.push({ step, name, hint: typeof m.hint === "string" ? m.hint : "", tests });
    }
  }
  return { found: true, mistakes };
}

/** The mistakes whose fingerprint is exactly what this report's step fails. */
export function matchMistakes(
  report: GradeReport,
  mistakes: readonly Fingerprint[],
): Fingerprint[] {
  if (report.run !== "graded") return [];
  const failing = new Map(
    stepsOf(report).map((s) => [
      s.id,
      new Set(s.tests.filter((t) => t.status !== "passed").map((t) => t.name)),
    ]),
  );
  return mistakes.filter((m) => {
    const fails = failing.get(m.step);
    return (
      fails !== undefined &&
      fails.size === m.tests.length &&
      m.tests.every((name) => fails.has(name))
    );
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
  const matches = reports.map((r) => matchMistakes(r, mistakes));
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

const cell = (value: string | number): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
  const mistakes = fingerprints.found ? fingerprints.mistakes : [];
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
        ? matchMistakes(r, mistakes)
            .map((m) => `${m.step}/${m.name}`)
            .join(" ")
        : `(unknown: ${fingerprints.why})`,
      r.submission,
    ]),
  ]);
}
