/**
 * `npm run grade [-- [--ref <ref>] [--out <folder>] [<submission>…]]`: grades students' work with
 * the specs as committed, never the specs in the working copy.
 *
 * The specs and the catalog are read from git at `ref` (default HEAD) in this repository (or
 * `--repo`), and laid out in a grading area under the system's temporary folder together with the
 * submission's own files from `exercises/` and, as committed, the code steps may build on (the
 * reference in `patterns/`; never the answer keys). The area has a link to this repository's
 * `node_modules`, so the specs' imports (vitest, libraries) resolve as they do here, and nothing
 * is written inside the repository. A spec the student edited, deleted or added is reported as
 * tampered; the committed one is what runs.
 *
 * Without submissions it grades this repository's own `exercises/`. With several, it grades each
 * in turn (one vitest session serves them all), shows a progress bar, then a summary table.
 *
 * Each submission gets `grade.json` (schema: kata/grade.schema.json) and `junit.xml`: in the
 * repository's root for the repository itself, in the submission's folder otherwise, or in
 * `--out <folder>/<name>/`.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { stepStatuses, wrap } from "./board";
import { committedContents, committedFiles, resolveCommit } from "./git";
import { isSpecFile, loadWorkbook, repoRoot, steps } from "./layout";
import type { TestOutcome } from "./outcome";
import { Session, type StepsRun } from "./session";

// ---------------------------------------------------------------------------------------------
// The report (grade.json): see kata/grade.schema.json, which documents every field.

export interface GradeTest {
  readonly name: string;
  readonly file: string;
  readonly line: number | null;
  readonly kind: "runtime" | "type";
  readonly status: "passed" | "failed" | "skipped";
  readonly message: string | null;
  readonly durationMs: number;
}

export interface GradeStep {
  readonly id: string;
  readonly title: string;
  readonly status: "solved" | "failing" | "does-not-compile" | "no-tests";
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

export interface Tampering {
  readonly file: string;
  readonly change: "modified" | "deleted" | "added";
}

export interface GradeReport {
  readonly version: 1;
  readonly submission: string;
  readonly name: string;
  readonly gradedAt: string;
  readonly specs: { readonly repository: string; readonly ref: string; readonly commit: string };
  readonly score: {
    readonly stepsSolved: number;
    readonly steps: number;
    readonly testsPassed: number;
    readonly tests: number;
  };
  readonly tampered: readonly Tampering[];
  readonly errors: readonly string[];
  readonly durationMs: number;
  readonly patterns: readonly GradePattern[];
}

// ---------------------------------------------------------------------------------------------
// The pristine specs and the grading area.

const CATALOG = "exercises/catalog.ts";
const slashes = (path: string): string => path.split(sep).join("/");

/** What every submission is graded with, as committed. */
export interface Pristine {
  readonly repository: string;
  readonly ref: string;
  readonly commit: string;
  /** The specs under exercises/ and the catalog: path (relative, forward slashes) → content. */
  readonly files: ReadonlyMap<string, Buffer>;
  /**
   * Everything else a stub or spec may import, such as the reference in patterns/ that a step
   * builds on. Not the answer keys, and not the root's package and compiler settings: the area
   * has its own.
   */
  readonly given: ReadonlyMap<string, Buffer>;
}

const NOT_GIVEN = /^(solutions\/|exercises\/|package\.json$|package-lock\.json$|tsconfig\.json$)/;

/** Reads the specs, the catalog and the given code committed at `ref` in `repository`. */
export function readPristine(repository: string, ref = "HEAD"): Pristine {
  let commit: string;
  try {
    commit = resolveCommit(repository, ref);
  } catch {
    throw new Error(`"${ref}" is not a commit of the git repository at ${repository}`);
  }
  const all = committedFiles(repository, commit, ".");
  const specs = all.filter((p) => p === CATALOG || (p.startsWith("exercises/") && isSpecFile(p)));
  if (!specs.includes(CATALOG)) {
    throw new Error(
      `${CATALOG} is not committed at ${ref} in ${repository}: nothing to grade with`,
    );
  }
  const given = all.filter((p) => !NOT_GIVEN.test(p));
  return {
    repository,
    ref,
    commit,
    files: committedContents(repository, commit, specs),
    given: committedContents(repository, commit, given),
  };
}

/** Every file under `dir` (relative paths, forward slashes), skipping node_modules and dot-folders. */
function filesUnder(dir: string, from = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === "node_modules" || entry.name.startsWith(".")
        ? []
        : filesUnder(path, from);
    }
    return entry.isFile() ? [slashes(relative(from, path))] : [];
  });
}

/** How the submission's specs (and catalog) differ from the pristine ones. */
export function tampering(submission: string, pristine: Pristine): Tampering[] {
  const found: Tampering[] = [];
  for (const [path, content] of pristine.files) {
    const file = join(submission, path);
    if (!existsSync(file)) found.push({ file: path, change: "deleted" });
    else if (!readFileSync(file).equals(content)) found.push({ file: path, change: "modified" });
  }
  for (const path of filesUnder(join(submission, "exercises"))) {
    const full = `exercises/${path}`;
    if (isSpecFile(path) && !pristine.files.has(full)) found.push({ file: full, change: "added" });
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * A folder under the system's temporary folder laid out as a workbook, with a link to this
 * repository's node_modules. Each `fill()` replaces its exercises/ with a submission's.
 */
export class GradingArea {
  readonly root: string;

  constructor(pristine: Pristine) {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), "kata-grade-")));
    for (const [path, content] of pristine.given) {
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), content);
    }
    // A junction needs no privileges on Windows; elsewhere it is an ordinary symbolic link.
    symlinkSync(join(repoRoot, "node_modules"), join(this.root, "node_modules"), "junction");
    writeFileSync(join(this.root, "package.json"), '{ "type": "module", "private": true }\n');
    writeFileSync(
      join(this.root, "tsconfig.json"),
      `${JSON.stringify({ extends: slashes(join(repoRoot, "tsconfig.json")), include: ["**/*.ts"] }, null, 2)}\n`,
    );
  }

  /** The submission's files in exercises/, except its specs and catalog; then the pristine ones. */
  fill(submission: string, pristine: Pristine): void {
    const exercises = join(this.root, "exercises");
    rmSync(exercises, { recursive: true, force: true });
    mkdirSync(exercises, { recursive: true });
    const from = join(submission, "exercises");
    for (const path of filesUnder(from)) {
      if (isSpecFile(path) || `exercises/${path}` === CATALOG) continue;
      mkdirSync(dirname(join(exercises, path)), { recursive: true });
      cpSync(join(from, path), join(exercises, path));
    }
    for (const [path, content] of pristine.files) {
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), content);
    }
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Grading.

export interface GradeOptions {
  /** The folders to grade, each a copy of the workbook with the student's exercises/. */
  readonly submissions: readonly string[];
  /** Where the pristine specs are committed; default: this repository. */
  readonly repository?: string;
  readonly ref?: string;
  /** Per-test hang limit (ms); the runner's default otherwise. */
  readonly hangLimitMs?: number;
  /** Called before each submission is graded (for a progress bar). */
  readonly onStart?: (index: number, submission: string) => void;
}

/** Grades every submission in turn and returns their reports, in order. */
export async function grade(options: GradeOptions): Promise<GradeReport[]> {
  const pristine = readPristine(resolve(options.repository ?? repoRoot), options.ref ?? "HEAD");
  const area = new GradingArea(pristine);
  let session: Session | undefined;
  const reports: GradeReport[] = [];
  try {
    for (const [index, folder] of options.submissions.entries()) {
      const submission = resolve(folder);
      options.onStart?.(index, submission);
      const started = performance.now();
      const base = {
        submission,
        name: basename(submission),
        gradedAt: new Date().toISOString(),
        specs: { repository: pristine.repository, ref: pristine.ref, commit: pristine.commit },
      };
      if (!existsSync(join(submission, "exercises"))) {
        reports.push(
          report(base, [], [`${submission} has no exercises/ folder: not a copy of the workbook`]),
        );
        continue;
      }
      area.fill(submission, pristine);
      // A fresh import each time the catalog could differ: a query defeats the module cache.
      const workbook = await loadWorkbook(area.root);
      session ??= await Session.open({
        workbook,
        afterHang: "rerun",
        isolate: true,
        cache: false,
        hangLimitMs: options.hangLimitMs,
      });
      const all = steps(workbook);
      const run = await session.run(all);
      const patterns = patternsOf(area.root, all, run);
      reports.push({
        ...report(
          base,
          patterns,
          run.errors.map((e) => e.replaceAll(`${area.root}/`, "")),
        ),
        tampered: tampering(submission, pristine),
        durationMs: Math.round(performance.now() - started),
      });
    }
  } finally {
    await session?.close();
    area.remove();
  }
  return reports;
}

function report(
  base: Pick<GradeReport, "submission" | "name" | "gradedAt" | "specs">,
  patterns: GradePattern[],
  errors: string[],
): GradeReport {
  const allSteps = patterns.flatMap((p) => p.steps);
  return {
    version: 1,
    ...base,
    score: {
      stepsSolved: allSteps.filter((s) => s.status === "solved").length,
      steps: allSteps.length,
      testsPassed: allSteps.reduce((n, s) => n + s.passed, 0),
      tests: allSteps.reduce((n, s) => n + s.total, 0),
    },
    tampered: [],
    errors,
    durationMs: 0,
    patterns,
  };
}

function patternsOf(root: string, all: ReturnType<typeof steps>, run: StepsRun): GradePattern[] {
  const where = (file: string) => slashes(relative(root, file));
  const clean = (message: string) => message.replaceAll(`${root}/`, "");
  const statuses = stepStatuses(all, run.outcomes, run.problems);
  const patterns = [...new Set(all.map((s) => s.pattern))];
  return patterns.map((pattern) => {
    const own = statuses.filter((s) => s.step.pattern === pattern);
    const gradeSteps = own.map((status): GradeStep => {
      const tests = status.outcomes.map(
        (o: TestOutcome): GradeTest => ({
          name: o.name,
          file: where(o.file),
          line: o.line ?? null,
          kind: o.kind,
          status: o.state,
          message: o.state === "passed" ? null : clean(o.messages.join("\n")) || null,
          durationMs: Math.round(o.durationMs * 1000) / 1000,
        }),
      );
      return {
        id: status.step.id,
        title: status.step.entry.title,
        status: status.solved
          ? "solved"
          : status.problems.length > 0
            ? "does-not-compile"
            : tests.length === 0
              ? "no-tests"
              : "failing",
        passed: status.passed,
        total: tests.length,
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

// ---------------------------------------------------------------------------------------------
// JUnit and tables.

const xml = (text: string): string =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** The report as JUnit XML: a testsuite per step, plus one for tampering if there was any. */
export function toJunit(report: GradeReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const step of report.patterns.flatMap((p) => p.steps)) {
    const cases: string[] = [];
    let stepFailures = 0;
    let stepSkipped = 0;
    let time = 0;
    if (step.compileErrors.length > 0) {
      stepFailures++;
      const text = step.compileErrors
        .map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`)
        .join("\n");
      cases.push(
        `    <testcase classname="${xml(step.id)}" name="(does not compile)" time="0.000">\n` +
          `      <failure message="${xml(step.compileErrors[0]?.message ?? "")}" type="CompileError">${xml(text)}</failure>\n` +
          "    </testcase>",
      );
    }
    for (const test of step.tests) {
      time += test.durationMs;
      const head =
        `    <testcase classname="${xml(step.id)}" name="${xml(test.name)}" file="${xml(test.file)}"` +
        `${test.line ? ` line="${test.line}"` : ""} time="${seconds(test.durationMs)}"`;
      if (test.status === "passed") {
        cases.push(`${head}/>`);
      } else if (test.status === "skipped") {
        stepSkipped++;
        cases.push(
          `${head}>\n      <skipped message="${xml(test.message ?? "")}"/>\n    </testcase>`,
        );
      } else {
        stepFailures++;
        const message = test.message ?? "";
        cases.push(
          `${head}>\n      <failure message="${xml(message.split("\n")[0] ?? "")}">${xml(message)}</failure>\n    </testcase>`,
        );
      }
    }
    const count = cases.length;
    tests += count;
    failures += stepFailures;
    skipped += stepSkipped;
    suites.push(
      `  <testsuite name="${xml(step.id)}" tests="${count}" failures="${stepFailures}" errors="0" skipped="${stepSkipped}" time="${seconds(time)}">\n` +
        `${cases.join("\n")}\n  </testsuite>`,
    );
  }
  if (report.tampered.length > 0) {
    const cases = report.tampered.map(
      (t) =>
        `    <testcase classname="tampering" name="${xml(t.file)} is as committed" time="0.000">\n` +
        `      <failure message="${t.change}">${xml(`${t.file} was ${t.change}; the committed spec was run instead.`)}</failure>\n` +
        "    </testcase>",
    );
    tests += cases.length;
    failures += cases.length;
    suites.push(
      `  <testsuite name="tampering" tests="${cases.length}" failures="${cases.length}" errors="0" skipped="0" time="0.000">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${xml(`kata: ${report.name}`)}" tests="${tests}" failures="${failures}" errors="${report.errors.length}" skipped="${skipped}" time="${seconds(report.durationMs)}">\n` +
    `${suites.join("\n")}\n</testsuites>\n`
  );
}

const BAR = 10;
const bar = (done: number, total: number): string => {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR);
  return pc.green("█".repeat(filled)) + pc.dim("░".repeat(BAR - filled));
};
const percent = (done: number, total: number): string =>
  total === 0 ? "–" : `${Math.round((done / total) * 100)}%`;

/** One submission's score table, in 80 columns. */
export function renderScore(report: GradeReport, width = 80): string {
  const lines = [
    "",
    pc.bold(`Grade: ${report.name}`) +
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
  if (report.tampered.length > 0) {
    lines.push("", pc.red(pc.bold(`  Tampered (${report.tampered.length}):`)));
    for (const t of report.tampered)
      lines.push(...wrap(`${t.file} (${t.change})`, width, "      ", "    ").map(pc.red));
    lines.push(pc.dim("    The committed specs were run instead: edits earn nothing."));
  }
  for (const error of report.errors)
    lines.push("", ...wrap(error, width, "    ", "  ").map(pc.red));
  lines.push("");
  return lines.join("\n");
}

/** The table comparing several submissions. */
export function renderSummary(reports: readonly GradeReport[]): string {
  const nameWidth = Math.min(30, Math.max(10, ...reports.map((r) => r.name.length)));
  const lines = [
    "",
    pc.bold("Summary"),
    "",
    pc.dim(
      `  ${"submission".padEnd(nameWidth)}  ${"steps".padStart(7)}  ${"tests".padStart(9)}  ${"".padStart(4)}  tampered`,
    ),
  ];
  for (const r of reports) {
    const name = r.name.length > nameWidth ? `${r.name.slice(0, nameWidth - 1)}…` : r.name;
    const tampered =
      r.tampered.length === 0
        ? pc.dim("–")
        : pc.red(`${r.tampered.length} file${r.tampered.length === 1 ? "" : "s"}`);
    const broken = r.errors.length > 0 ? pc.red(" (errors)") : "";
    lines.push(
      `  ${name.padEnd(nameWidth)}  ${`${r.score.stepsSolved}/${r.score.steps}`.padStart(7)}  ${`${r.score.testsPassed}/${r.score.tests}`.padStart(9)}  ${percent(r.score.testsPassed, r.score.tests).padStart(4)}  ${tampered}${broken}`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

/** Writes grade.json and junit.xml into `folder`. */
export function writeReport(report: GradeReport, folder: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "grade.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(folder, "junit.xml"), toJunit(report));
}

// ---------------------------------------------------------------------------------------------
// The command line.

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      ref: { type: "string", default: "HEAD" },
      repo: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run grade -- [--ref <ref>] [--repo <folder>] [--out <folder>] [<submission>…]\n\n" +
        "Grades exercises/ (this repository's, or each submission folder's) with the specs\n" +
        "committed at <ref> (default HEAD) in this repository (or --repo), and writes grade.json\n" +
        "and junit.xml beside each submission (or in --out/<name>/).\n",
    );
    return 0;
  }
  const repository = resolve(values.repo ?? repoRoot);
  const submissions = positionals.length > 0 ? positionals.map((p) => resolve(p)) : [repository];
  const many = submissions.length > 1;
  const tty = process.stdout.isTTY === true;
  const progress = (index: number, submission: string) => {
    if (!many) return;
    const line = `  ${bar(index, submissions.length)} ${index}/${submissions.length}  grading ${basename(submission)}…`;
    process.stdout.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
  };
  const started = performance.now();
  const reports = await grade({
    submissions,
    repository,
    ref: values.ref,
    onStart: progress,
  });
  if (many && tty) {
    process.stdout.write(
      `\r\u001b[2K  ${bar(1, 1)} ${submissions.length}/${submissions.length}  done\n`,
    );
  }
  for (const r of reports) {
    const folder = values.out ? join(resolve(values.out), r.name) : r.submission;
    writeReport(r, folder);
    if (!many) {
      process.stdout.write(renderScore(r));
      process.stdout.write(
        pc.dim(
          `\nWrote ${relative(process.cwd(), join(folder, "grade.json")) || "grade.json"} and junit.xml\n`,
        ),
      );
    }
  }
  if (many) {
    process.stdout.write(renderSummary(reports));
    const where = values.out
      ? relative(process.cwd(), resolve(values.out)) || "."
      : "each submission's folder";
    process.stdout.write(pc.dim(`grade.json and junit.xml are in ${where}.\n`));
  }
  process.stdout.write(
    pc.dim(`Graded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`),
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
