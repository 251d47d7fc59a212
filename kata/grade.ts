/**
 * `npm run grade [-- [options] [<submission>…]]`: grades students' work with the specs as
 * committed at a ref of the teacher's repository, never the specs in a working copy, each
 * submission in its own sandbox (kata/grading/sandbox.ts).
 *
 * Without submissions it grades this repository's own `exercises/`. Each submission's reports
 * (grade.json, junit.xml, Exercism's results.json, gradescope.json, classroom.json: see
 * kata/grading/formats.ts) are written as soon as it is graded, beside it or in
 * `--out <folder>/<name>/`; with several, a summary table, the class summary and two CSV files
 * (grades.csv, class-summary.csv) follow.
 */
import { writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { isMain, isUserError, UsageError } from "./command";
import { FILES, writeReports } from "./grading/formats";
import { DEFAULT_LIMIT_MS, grade } from "./grading/grade";
import { FINGERPRINTS } from "./grading/pristine";
import type { GradeReport } from "./grading/report";
import type { ProtectionKind } from "./grading/sandbox";
import {
  classSummaryCsv,
  gradesCsv,
  readFingerprints,
  renderClassSummary,
  summarize,
} from "./grading/summary";
import { printable, renderScore, renderSummary } from "./grading/tables";
import { repoRoot } from "./layout";

export type { GradeReport } from "./grading/report";

const HELP = `Usage: npm run grade -- [options] [<submission>…]

Grades exercises/ (this repository's, or each submission folder's) with the specs committed at
<ref> in this repository (or --repo), each submission in its own sandbox, and writes grade.json,
junit.xml, results.json (Exercism), gradescope.json and classroom.json beside each submission
(or in --out/<name>/). With several submissions: a summary, the class summary, grades.csv and
class-summary.csv (in --out, or the current folder).

  --ref <ref>         the commit whose specs grade (default HEAD)
  --repo <folder>     the teacher's repository holding the specs (default: this one)
  --out <folder>      write reports to <folder>/<name>/ instead of into each submission
  --jobs <n>          submissions graded at once (default: one per core)
  --timeout <s>       wall-clock limit per submission, in seconds (default ${DEFAULT_LIMIT_MS / 1000})
  --sandbox <kind>    bubblewrap, node-permission or none (default: the best available)
`;

const SANDBOXES = ["bubblewrap", "node-permission", "none"];

const number = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
};

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ref: { type: "string", default: "HEAD" },
      repo: { type: "string" },
      out: { type: "string" },
      jobs: { type: "string" },
      timeout: { type: "string" },
      sandbox: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.sandbox !== undefined && !SANDBOXES.includes(values.sandbox)) {
    throw new UsageError(`--sandbox must be one of ${SANDBOXES.join(", ")}`);
  }
  const repository = resolve(values.repo ?? repoRoot);
  const submissions = positionals.length > 0 ? positionals : [repository];
  const out = values.out ? resolve(values.out) : undefined;
  const many = submissions.length > 1;
  const tty = process.stdout.isTTY === true;
  const used = new Set<string>();
  const folderOf = (report: GradeReport): string => {
    if (!out) return report.submission;
    let name = report.name;
    for (let n = 2; used.has(name); n++) name = `${report.name}-${n}`;
    used.add(name);
    return join(out, name);
  };
  let done = 0;
  const started = performance.now();
  const graded = await grade({
    submissions,
    repository,
    ref: values.ref,
    jobs: number(values.jobs, "jobs"),
    limitMs: (number(values.timeout, "timeout") ?? DEFAULT_LIMIT_MS / 1000) * 1000,
    sandbox: values.sandbox as ProtectionKind | undefined,
    onGraded: (report, _index, code) => {
      const folder = folderOf(report);
      writeReports(report, folder, code);
      done++;
      if (!many) {
        process.stdout.write(renderScore(report));
        process.stdout.write(
          pc.dim(
            `\nWrote ${relative(process.cwd(), join(folder, FILES.grade)) || FILES.grade} and the other formats beside it\n`,
          ),
        );
      } else {
        const line = `  ${done}/${submissions.length}  ${printable(report.name)}: ${report.score.stepsSolved}/${report.score.steps} steps${report.run === "graded" ? "" : ` (${report.run})`}`;
        process.stdout.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
      }
    },
  });
  if (many) {
    if (tty) process.stdout.write("\n");
    const { reports, pristine, protection } = graded;
    process.stdout.write(renderSummary(reports));
    const fingerprints = readFingerprints(
      pristine.fingerprints,
      `${FINGERPRINTS} at ${pristine.ref}`,
    );
    const summary = summarize(reports, fingerprints);
    process.stdout.write(renderClassSummary(summary));
    const folder = out ?? process.cwd();
    writeFileSync(join(folder, "grades.csv"), gradesCsv(reports, fingerprints));
    writeFileSync(join(folder, "class-summary.csv"), classSummaryCsv(summary));
    const where = out ? relative(process.cwd(), out) || "." : "each submission's folder";
    process.stdout.write(
      pc.dim(
        `Reports are in ${where}; grades.csv and class-summary.csv in ${relative(process.cwd(), folder) || "."}.\n` +
          `Sandbox: ${protection.kind}.\n`,
      ),
    );
  }
  process.stdout.write(
    pc.dim(`Graded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`),
  );
  return 0;
}

if (isMain(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${isUserError(error) ? `grade: ${error.message}` : error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
