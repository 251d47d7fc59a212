/** What the grader prints: one submission's score table, and the table comparing a batch. */
import pc from "picocolors";
import { wrap } from "../board";
import type { GradeReport } from "./report";

/**
 * A string the submission controls (a file name, what its run printed before crashing), made
 * safe to print: control characters (an escape sequence can move the cursor and erase the
 * "Tampered" lines above it) and bidirectional overrides (which reorder what is shown) are
 * written out as `\u…` instead. Line breaks stay.
 */
export const printable = (text: string): string =>
  text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it removes
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

const BAR = 10;
const bar = (done: number, total: number): string => {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR);
  return pc.green("█".repeat(filled)) + pc.dim("░".repeat(BAR - filled));
};
export const percent = (done: number, total: number): string =>
  total === 0 ? "–" : `${Math.round((done / total) * 100)}%`;

const RUN_END: Record<GradeReport["run"], string> = {
  graded: "",
  "timed-out": "timed out",
  crashed: "crashed",
  "not-run": "not run",
};

/** One submission's score table, in 80 columns. */
export function renderScore(report: GradeReport, width = 80): string {
  const lines = [
    "",
    pc.bold(`Grade: ${printable(report.name)}`) +
      pc.dim(`  (specs at ${report.specs.ref}, ${report.specs.commit.slice(0, 7)})`),
    "",
  ];
  const titleWidth = Math.max(8, ...report.patterns.map((p) => p.title.length));
  lines.push(pc.dim(`  ${"pattern".padEnd(titleWidth)}  ${"".padEnd(BAR)}  steps    tests`));
  for (const pattern of report.patterns) {
    const passed = pattern.steps.reduce((n, s) => n + s.passed, 0);
    const total = pattern.steps.reduce((n, s) => n + s.total, 0);
    lines.push(
      `  ${pattern.title.padEnd(titleWidth)}  ${bar(pattern.solved, pattern.total)}  ${`${pattern.solved}/${pattern.total}`.padStart(5)}  ${`${passed}/${total}`.padStart(7)}`,
    );
    for (const step of pattern.steps.filter((s) => s.status === "does-not-compile")) {
      lines.push(pc.red(`    ✗ ${step.id} does not compile`));
    }
  }
  const { score } = report;
  lines.push(
    pc.bold(
      `  ${"total".padEnd(titleWidth)}  ${"".padEnd(BAR)}  ${`${score.stepsSolved}/${score.steps}`.padStart(5)}  ${`${score.testsPassed}/${score.tests}`.padStart(7)}  ${percent(score.testsPassed, score.tests)} of tests`,
    ),
  );
  const guard = report.protection.kind === "none" ? pc.red : pc.dim;
  lines.push("", ...wrap(`Sandbox: ${report.protection.detail}`, width, "    ", "  ").map(guard));
  if (report.tampered.length > 0) {
    lines.push("", pc.red(pc.bold(`  Tampered (${report.tampered.length}):`)));
    for (const t of report.tampered)
      lines.push(
        ...wrap(
          printable(
            t.change === "refused"
              ? `${t.file}:${t.line ?? 1} ${t.reason ?? "refused"}`
              : `${t.file} (${t.change})`,
          ),
          width,
          "      ",
          "    ",
        ).map(pc.red),
      );
    lines.push(pc.dim("    Edited specs were replaced; refused modules failed their tests."));
  }
  for (const warning of report.warnings)
    lines.push("", ...wrap(`Warning: ${printable(warning)}`, width, "    ", "  ").map(pc.yellow));
  for (const error of report.errors)
    lines.push("", ...wrap(printable(error), width, "    ", "  ").map(pc.red));
  lines.push("");
  return lines.join("\n");
}

const SANDBOX: Record<GradeReport["protection"]["kind"], string> = {
  bubblewrap: "bwrap",
  "node-permission": "node",
  none: "NONE",
};

/** The table comparing several submissions: score, tampering, how the run ended, the sandbox. */
export function renderSummary(reports: readonly GradeReport[]): string {
  const nameWidth = Math.min(24, Math.max(10, ...reports.map((r) => r.name.length)));
  const lines = [
    "",
    pc.bold("Summary"),
    "",
    pc.dim(
      `  ${"submission".padEnd(nameWidth)}  ${"steps".padStart(7)}  ${"tests".padStart(9)}  ${"".padStart(4)}  ${"sandbox".padEnd(7)}  notes`,
    ),
  ];
  for (const r of reports) {
    const shown = printable(r.name);
    const name = shown.length > nameWidth ? `${shown.slice(0, nameWidth - 1)}…` : shown;
    const notes = [
      r.tampered.length === 0
        ? ""
        : pc.red(`tampered ${r.tampered.length} file${r.tampered.length === 1 ? "" : "s"}`),
      RUN_END[r.run] ? pc.red(RUN_END[r.run]) : "",
      r.run === "graded" && r.errors.length > 0 ? pc.red("errors") : "",
    ].filter((n) => n !== "");
    const sandbox = SANDBOX[r.protection.kind].padEnd(7);
    lines.push(
      `  ${name.padEnd(nameWidth)}  ${`${r.score.stepsSolved}/${r.score.steps}`.padStart(7)}  ${`${r.score.testsPassed}/${r.score.tests}`.padStart(9)}  ${percent(r.score.testsPassed, r.score.tests).padStart(4)}  ${r.protection.kind === "none" ? pc.red(sandbox) : pc.dim(sandbox)}  ${notes.join(", ") || pc.dim("–")}`,
    );
  }
  lines.push("");
  return lines.join("\n");
}
