/**
 * `npm run mutation:report [-- --partial]`: writes the kata-spec mutation section of
 * docs/mutation.md from the kata-spec mutation runs: the whole run's report
 * (reports/mutation-kata/mutation.json) merged with every narrowed run's incremental file
 * (reports/stryker-kata-*.json, one per pattern or step), the newest report of each answer key
 * winning, so that runs made one pattern at a time add up to the whole workbook. It writes a table per step (mutants, killed, timed out, survived, no coverage, score) and every surviving
 * mutant (file:line, mutator, replacement) with the one-line reason it survives, taken from
 * docs/mutation-equivalent.json. A survivor with no reason there is marked **unexplained**.
 *
 * A reason is keyed by step, mutator and the text of the mutated line (trimmed), not by line
 * number, so it survives edits elsewhere in the answer key. The per-pattern table of the
 * patterns' own runs is regenerated from their reports (reports/mutation/mutation.json and the
 * incremental files reports/stryker-<name>.json, newest first per file); a pattern none of them
 * measured keeps its row. The hand-written text is kept. The generated parts sit between
 * `<!-- … -->` markers.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isMain, isUserError, UsageError } from "./command";
import { loadWorkbook, repoRoot, steps } from "./layout";

/** The parts of Stryker's mutation-testing-report-schema JSON that the page uses. */
export interface MutationReport {
  readonly files: Readonly<
    Record<
      string,
      {
        readonly source: string;
        readonly mutants: readonly {
          readonly id: string;
          readonly mutatorName: string;
          readonly replacement?: string;
          readonly status: string;
          readonly location: { readonly start: { readonly line: number; readonly column: number } };
        }[];
      }
    >
  >;
}

/** One reason a mutant survives: for a step, a mutator and the (trimmed) text of its line. */
export interface Explanation {
  readonly step: string;
  readonly mutator: string;
  readonly line: string;
  /** Only this replacement, when the same line has mutants of the same kind that differ. */
  readonly replacement?: string;
  readonly why: string;
}

export interface StepScore {
  readonly step: string;
  readonly mutants: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Mutants whose run broke outside any test (compile or runtime error): not scored. */
  readonly invalid: number;
  /** (killed + timed out) / (killed + timed out + survived + no coverage), in %. */
  readonly score: number;
}

export interface Survivor {
  readonly step: string;
  readonly where: string;
  readonly mutator: string;
  readonly replacement: string;
  readonly line: string;
  readonly noCoverage: boolean;
  readonly why: string | undefined;
}

/** A report read from disk, and when it was written. */
export interface DatedReport {
  readonly report: MutationReport;
  readonly written: Date;
}

/**
 * One report from several runs: for each answer key, the newest report that has it. Narrowed
 * runs (one pattern or step each) then add up to the whole workbook, and a rerun replaces what
 * an older run said about the same keys only.
 */
export function mergeReports(reports: readonly DatedReport[]): MutationReport {
  const files: Record<string, MutationReport["files"][string]> = {};
  const seen = new Map<string, number>();
  for (const { report, written } of reports) {
    for (const [path, file] of Object.entries(report.files)) {
      const when = seen.get(path);
      if (when !== undefined && when >= written.getTime()) continue;
      seen.set(path, written.getTime());
      files[path] = file;
    }
  }
  return { files };
}

/**
 * A family of runs' reports: the whole run's report, then every narrowed run's incremental file
 * in `reportsDir` whose name matches `narrowed` (one per pattern or step).
 */
export function reportFiles(reportsDir: string, whole: string, narrowed: RegExp): string[] {
  const files = existsSync(reportsDir)
    ? readdirSync(reportsDir)
        .filter((name) => narrowed.test(name))
        .sort()
        .map((name) => join(reportsDir, name))
    : [];
  return [whole, ...files].filter((path) => existsSync(path));
}

/** The kata's runs: reports/mutation-kata/mutation.json and reports/stryker-kata-*.json. */
export const KATA_RUNS = /^stryker-kata-.+\.json$/;
/** The patterns' runs: reports/mutation/mutation.json and every other reports/stryker-*.json. */
export const PATTERN_RUNS = /^stryker-(?!kata-).+\.json$/;

/** `solutions/observer/03-x/subject.ts` → `observer/03-x`; `patterns/observer/x.ts` → `observer`. */
export const stepOf = (path: string): string => {
  const parts = path.split(/[\\/]/);
  return parts[0] === "solutions" ? parts.slice(1, 3).join("/") : (parts[1] ?? path);
};

/** Stryker's statuses as the table counts them; any other (compile or runtime error) is invalid. */
const STATUS: Readonly<Record<string, "killed" | "timeout" | "survived" | "noCoverage">> = {
  Killed: "killed",
  Timeout: "timeout",
  Survived: "survived",
  NoCoverage: "noCoverage",
};

const score = (s: Omit<StepScore, "score" | "step">): number => {
  const caught = s.killed + s.timeout;
  const counted = caught + s.survived + s.noCoverage;
  return counted === 0 ? 100 : (caught / counted) * 100;
};

/** Scores per step (or per pattern), in `order` where given, the rest sorted after. */
export function scores(report: MutationReport, order: readonly string[] = []): StepScore[] {
  type Counts = { -readonly [K in keyof Omit<StepScore, "score" | "step">]: number };
  const by = new Map<string, Counts>();
  for (const [path, file] of Object.entries(report.files)) {
    const id = stepOf(path);
    const s: Counts = by.get(id) ?? {
      mutants: 0,
      killed: 0,
      timeout: 0,
      survived: 0,
      noCoverage: 0,
      invalid: 0,
    };
    by.set(id, s);
    for (const m of file.mutants) {
      if (m.status === "Ignored" || m.status === "Pending") continue;
      const kind = STATUS[m.status] ?? "invalid";
      s.mutants++;
      s[kind]++;
    }
  }
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...by.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([step, s]) => ({ step, ...s, score: score(s) }));
}

const normalise = (line: string) => line.trim().replace(/\s+/g, " ");

/** Every mutant that survived or had no coverage, with its reason when one is on file. */
export function survivors(
  report: MutationReport,
  explanations: readonly Explanation[],
  order: readonly string[] = [],
): Survivor[] {
  const rank = (path: string) => {
    const i = order.indexOf(stepOf(path));
    return i === -1 ? order.length : i;
  };
  return Object.entries(report.files)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .flatMap(([path, file]) => {
      const lines = file.source.split("\n");
      const step = stepOf(path);
      return file.mutants
        .filter((m) => m.status === "Survived" || m.status === "NoCoverage")
        .sort(
          (a, b) => a.location.start.line - b.location.start.line || Number(a.id) - Number(b.id),
        )
        .map((m): Survivor => {
          const line = normalise(lines[m.location.start.line - 1] ?? "");
          const replacement = m.replacement ?? "";
          const why = explanations.find(
            (e) =>
              e.step === step &&
              e.mutator === m.mutatorName &&
              normalise(e.line) === line &&
              (e.replacement === undefined || e.replacement === replacement),
          )?.why;
          return {
            step,
            where: `${path.split("/").pop()}:${m.location.start.line}`,
            mutator: m.mutatorName,
            replacement,
            line,
            noCoverage: m.status === "NoCoverage",
            why,
          };
        });
    });
}

const cell = (text: string, max = 60): string => {
  const one = text.replace(/\s+/g, " ").trim();
  const short = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return `\`${short.replace(/`/g, "ˋ").replace(/\|/g, "\\|")}\``;
};

const percent = (n: number) => `${n.toFixed(2)} %`;

type Counts = Omit<StepScore, "step" | "score">;
const COUNTS = ["mutants", "killed", "timeout", "survived", "noCoverage", "invalid"] as const;

/**
 * The score table, one row per step (or pattern) and a total; with `measuredBy`, a column that
 * names the run each row comes from.
 */
export function scoreTable(
  rows: readonly StepScore[],
  label: string,
  measuredBy?: (step: string) => string,
): string {
  const total = Object.fromEntries(
    COUNTS.map((k) => [k, rows.reduce((sum, r) => sum + r[k], 0)]),
  ) as Counts;
  const by = (text: string) => (measuredBy ? ` ${text} |` : "");
  const row = (name: string, text: string, r: Counts) =>
    `| ${name} |${by(text)} ${COUNTS.map((k) => r[k]).join(" | ")} | ${percent(score(r))} |`;
  return [
    `| ${label} |${by("measured by")} mutants | killed | timed out | survived | no coverage | invalid | score |`,
    `| --- |${by("---")} ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map((r) => row(r.step, measuredBy?.(r.step) ?? "", r)),
    row("**all**", "the rows above, added up", total),
  ].join("\n");
}

/**
 * The patterns' table: each pattern a report here measured gets a fresh row dated by its newest
 * run; any other keeps its row from `previous` (the page's table), so that a run narrowed to one
 * pattern never erases what an older run measured of the others. The total adds up the rows.
 */
export function patternsTable(
  reports: readonly DatedReport[],
  ids: readonly string[],
  previous: string,
): string {
  const fresh = scores(mergeReports(reports), ids);
  const by = new Map<string, string>();
  const rows = ids.flatMap((id): StepScore[] => {
    const measured = fresh.find((r) => r.step === id);
    if (measured) {
      const newest = Math.max(
        ...reports
          .filter(({ report }) => Object.keys(report.files).some((path) => stepOf(path) === id))
          .map(({ written }) => written.getTime()),
      );
      by.set(id, `the ${new Date(newest).toISOString().slice(0, 10)} run`);
      return [measured];
    }
    const cells = previous
      .split("\n")
      .find((line) => line.startsWith(`| ${id} |`))
      ?.split("|")
      .map((c) => c.trim());
    if (!cells) return [];
    by.set(id, cells[2] ?? "");
    const counts = Object.fromEntries(
      COUNTS.map((k, i) => [k, Number(cells[3 + i] ?? 0)]),
    ) as Counts;
    return [{ step: id, ...counts, score: score(counts) }];
  });
  return scoreTable(rows, "pattern", (id) => by.get(id) ?? "");
}

/** The kata section: the table, the survivors by step, and how to rerun. */
export function kataSection(
  report: MutationReport,
  explanations: readonly Explanation[],
  order: readonly string[],
  measured: string,
): string {
  const rows = scores(report, order);
  const left = survivors(report, explanations, order);
  const unexplained = left.filter((s) => s.why === undefined).length;
  const below = rows.filter((r) => r.score < 95).map((r) => r.step);
  const out = [
    `_Generated by \`npm run mutation:report\` from the runs up to ${measured}. Do not edit between the markers._`,
    "",
    scoreTable(rows, "step"),
    "",
    below.length === 0
      ? "Every step is at 95 % or above."
      : `Below the 95 % every step must reach: ${below.join(", ")}.`,
    unexplained === 0
      ? `Every one of the ${left.length} surviving mutants is explained below.`
      : `**${unexplained} of the ${left.length} surviving mutants are unexplained**: kill each with a test, or add its reason to \`docs/mutation-equivalent.json\`.`,
    "",
    "### Every surviving mutant of the answer keys",
  ];
  for (const step of [...new Set(left.map((s) => s.step))]) {
    out.push(
      "",
      `#### ${step}`,
      "",
      "| where | mutator | mutated | → | why it survives |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const s of left.filter((x) => x.step === step)) {
      out.push(
        `| ${s.where} | ${s.mutator}${s.noCoverage ? " (no coverage)" : ""} | ${cell(s.line)} | ${s.replacement === "" ? "(removed)" : cell(s.replacement, 40)} | ${s.why ?? "**unexplained**"} |`,
      );
    }
  }
  if (left.length === 0) out.push("", "None.");
  return out.join("\n");
}

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->`, or appends it. */
export function replaceBetween(page: string, name: string, text: string, heading: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n\n${text.trim()}\n\n${end}`;
  const from = page.indexOf(begin);
  const to = page.indexOf(end);
  if (from !== -1 && to > from)
    return `${page.slice(0, from)}${block}${page.slice(to + end.length)}`;
  return `${page.trimEnd()}\n\n${heading}\n\n${block}\n`;
}

const KATA_HEADING = `## The kata's specs, mutated

The same question for the kata: how many wrong answer keys do the step specs let through?
\`npm run mutation:kata\` plants bugs in the answer keys (\`solutions/<pattern>/<step>/<module>.ts\`,
never the mistakes) and runs the kata specs of that step against each, through the redirection
\`npm run verify\` uses (a mutant of one key can only be killed by its own step's specs). A survivor
is a wrong answer a student could hand in and see green. The aim is at least 95 % per step, and
every survivor killed by a new test or explained in \`docs/mutation-equivalent.json\` (keyed by
step, mutator and the text of the line, so that a reason survives edits elsewhere).

\`\`\`sh
npm run mutation:kata      # every answer key; incremental: only changed keys and specs rerun
npm run mutation:report    # regenerate this section from every run's report, merged
# One pattern at a time, on a shared machine (its own incremental file keeps the whole run's):
npx stryker run stryker.kata.config.mjs --incrementalFile reports/stryker-kata-observer.json \\
  --mutate "solutions/observer/*/*.ts" --concurrency 1
\`\`\`

The page adds up the whole run's report and every narrowed run's incremental file
(\`reports/stryker-kata-*.json\`), the newest report of each answer key winning, so runs made one
pattern at a time cover the workbook; while some step has no report at all, \`npm run
mutation:report\` refuses unless told \`--partial\`. Type-level specs (\`*.test-d.ts\`)
are checked by the compiler, not run, so they kill no mutant: a mutant in code only the types
constrain survives, and is explained as such.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      partial: { type: "boolean" },
      kata: { type: "string" },
      patterns: { type: "string" },
      page: { type: "string", default: join(repoRoot, "docs/mutation.md") },
      explanations: { type: "string", default: join(repoRoot, "docs/mutation-equivalent.json") },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run mutation:report [-- --partial] [--kata <json>] [--patterns <json>]\n" +
        "Without --kata: reports/mutation-kata/mutation.json and reports/stryker-kata-*.json, merged.\n" +
        "Without --patterns: reports/mutation/mutation.json and reports/stryker-*.json (not kata-), merged.\n",
    );
    return 0;
  }
  const workbook = await loadWorkbook();
  const order = steps(workbook).map((s) => s.id);
  let page = readFileSync(values.page, "utf8");
  const reportsDir = join(repoRoot, "reports");
  const sources = values.kata
    ? [values.kata]
    : reportFiles(reportsDir, join(reportsDir, "mutation-kata/mutation.json"), KATA_RUNS);
  if (sources.length === 0 || !sources.every((path) => existsSync(path))) {
    throw new UsageError(
      `no kata mutation report (${values.kata ?? "reports/mutation-kata/mutation.json, reports/stryker-kata-*.json"}): run \`npm run mutation:kata\` first`,
    );
  }
  const dated = sources.map((path) => ({
    report: JSON.parse(readFileSync(path, "utf8")) as MutationReport,
    written: statSync(path).mtime,
  }));
  const report = mergeReports(dated);
  const covered = new Set(Object.keys(report.files).map(stepOf));
  const missing = order.filter((id) => !covered.has(id));
  if (missing.length > 0 && !values.partial) {
    throw new UsageError(
      `${sources.join(", ")} cover ${covered.size} of ${order.length} steps (not ${missing.slice(0, 3).join(", ")}…): a narrowed run. Run the whole \`npm run mutation:kata\` (incremental, so only what changed reruns), or pass --partial.`,
    );
  }
  const explanations = existsSync(values.explanations)
    ? (JSON.parse(readFileSync(values.explanations, "utf8")) as Explanation[])
    : [];
  const newest = Math.max(...dated.map((d) => d.written.getTime()));
  const measured = new Date(newest).toISOString().slice(0, 10);
  page = replaceBetween(
    page,
    "kata-mutation",
    kataSection(report, explanations, order, measured),
    KATA_HEADING,
  );
  // Stryker's incremental file keeps files a later run no longer mutates (the specs' own
  // helpers, the Redis adapters): the table counts only what stryker.config.mjs mutates now.
  const stryker: { serviceAdapters: string[]; specSupport: string[] } = await import(
    new URL("../stryker.config.mjs", import.meta.url).href
  );
  const notMutated = new Set([...stryker.serviceAdapters, ...stryker.specSupport]);
  const patternRuns = (
    values.patterns
      ? [values.patterns]
      : reportFiles(reportsDir, join(reportsDir, "mutation/mutation.json"), PATTERN_RUNS)
  ).map((path) => {
    const report = JSON.parse(readFileSync(path, "utf8")) as MutationReport;
    const files = Object.entries(report.files).filter(([file]) => !notMutated.has(file));
    return { report: { files: Object.fromEntries(files) }, written: statSync(path).mtime };
  });
  if (patternRuns.length > 0) {
    const previous = page.slice(page.indexOf("<!-- patterns-mutation:begin -->"));
    page = replaceBetween(
      page,
      "patterns-mutation",
      patternsTable(
        patternRuns,
        workbook.catalog.map((p) => p.id),
        previous,
      ),
      "## The patterns' scores",
    );
  }
  writeFileSync(values.page, page);
  const rows = scores(report, order);
  const left = survivors(report, explanations);
  process.stdout.write(
    `${values.page}: ${rows.length} steps, ${left.length} survivors, ${left.filter((s) => !s.why).length} unexplained\n`,
  );
  return 0;
}

if (isMain(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${isUserError(error) ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
