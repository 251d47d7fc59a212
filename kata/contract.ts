/**
 * The verification contract (CONTRIBUTING.md, "The verification contract"): the checks
 * `npm run verify` runs, each returning what held and what did not.
 *
 *  1. catalog       catalog and folders agree; every step has instructions, hints, stub, spec,
 *                   answer key and mistakes, each mistake says what is wrong, and nothing still
 *                   holds `npm run new-step`'s placeholder
 *  2. typecheck     everything compiles under `strict` (type specs are checked per target below)
 *  3. lint          lint and format are clean
 *  4. answers       every spec passes against its answer key; the reference's own specs pass
 *  5. stubs         every single test fails against its untouched stub
 *  6. mistakes      every mistake's patch applies, and every mistake fails at least one test,
 *                   among them each test its header names
 *  7. fingerprints  exercises/fingerprints.json records the tests each mistake and each stub fails
 *  8. docs          the docs site builds with typedoc's validation, warnings as errors
 *  9. approaches    every approach (another correct answer) passes every test of its step
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import pc from "picocolors";
import { approachProblems, approachTargets, checkApproaches } from "./approaches";
import { docsInputsHash, freshStamp, writeStamp } from "./docs/stamp";
import { rel, repoRoot, type Step, type Workbook } from "./layout";
import {
  applyMistake,
  describeMistake,
  type Fingerprints,
  fingerprintsOr,
  fingerprintsPath,
  formatFingerprints,
  isPatch,
  type MistakePrint,
  parseHeader,
  StalePatchError,
  type StepPrints,
  type StubPrint,
  staleSteps,
} from "./mistakes";
import { holdsPlaceholder, placeholder } from "./new-step";
import type { TestOutcome } from "./outcome";
import { type Progress, SpecRunner } from "./run";
import { contentKey } from "./runner/cache";
import { cleanMessage } from "./session";
import { mistakeName, type Target, targetName } from "./targets";

/** What one check found: how many facts held, and a line for each that did not. */
export interface CheckResult {
  readonly name: string;
  readonly summary: string;
  readonly passed: number;
  readonly problems: readonly string[];
}

const STEP_DIR = /^(\d\d)-[a-z0-9]+(-[a-z0-9]+)*$/;

const subfolders = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];

/** Check 1: the catalog and the folders describe the same kata, and every step is complete. */
export function checkCatalog(workbook: Workbook, all: readonly Step[]): CheckResult {
  const problems: string[] = [];
  let passed = 0;
  const expect = (ok: boolean, problem: string) => {
    if (ok) passed++;
    else problems.push(problem);
  };
  const where = (file: string) => rel(file, workbook.root);

  const ids = workbook.catalog.map((p) => p.id);
  expect(new Set(ids).size === ids.length, `the catalog lists a pattern twice: ${ids.join(", ")}`);
  for (const base of [workbook.exercisesDir, workbook.solutionsDir]) {
    for (const dir of subfolders(base).filter((d) => !ids.includes(d))) {
      problems.push(`${where(join(base, dir))}/ is not in the catalog`);
    }
  }
  for (const pattern of workbook.catalog) {
    const lesson = join(workbook.patternsDir, pattern.id, "README.md");
    expect(existsSync(lesson), `${where(lesson)} (the lesson) is missing`);
    expect(pattern.steps.length > 0, `pattern ${pattern.id} has no steps`);
    const dirs = pattern.steps.map((s) => s.dir);
    for (const base of [workbook.exercisesDir, workbook.solutionsDir]) {
      for (const dir of subfolders(join(base, pattern.id)).filter((d) => !dirs.includes(d))) {
        problems.push(`${where(join(base, pattern.id, dir))}/ is not in the catalog`);
      }
    }
    pattern.steps.forEach((entry, i) => {
      const number = String(i + 1).padStart(2, "0");
      expect(
        STEP_DIR.exec(entry.dir)?.[1] === number,
        `${pattern.id}/${entry.dir}: step ${i + 1} must be named "${number}-kebab-case-name"`,
      );
    });
  }

  for (const step of all) {
    const { id, entry } = step;
    if (!existsSync(step.exerciseDir)) {
      problems.push(`${id}: the catalog lists it, but ${where(step.exerciseDir)}/ does not exist`);
      continue;
    }
    expect(entry.title.trim() !== "", `${id}: the catalog gives no title`);
    expect(entry.hints.length > 0, `${id}: the catalog gives no hint`);
    expect(
      existsSync(step.readme) && readFileSync(step.readme, "utf8").trim() !== "",
      `${id}: ${where(step.readme)} (the instructions) is missing or empty`,
    );
    expect(
      step.modules.length === 1,
      `${id}: expected exactly one stub module beside the specs, found ${step.modules.length}`,
    );
    expect(
      step.specs.length + step.typeSpecs.length > 0,
      `${id}: no spec (*.spec.ts or *.test-d.ts)`,
    );
    for (const stub of step.modules) {
      expect(
        readFileSync(stub, "utf8").includes("TODO"),
        `${where(stub)}: a stub marks its edit point with a TODO comment`,
      );
      const answer = join(step.solutionDir, basename(stub));
      expect(existsSync(answer), `${id}: the answer key ${where(answer)} is missing`);
    }
    expect(
      step.mistakes.length > 0,
      `${id}: no common mistake in ${where(step.solutionDir)}/mistakes/`,
    );
    for (const mistake of step.mistakes) {
      if (isPatch(mistake)) {
        const { problems: header } = parseHeader(readFileSync(mistake, "utf8"));
        expect(
          header.length === 0,
          `${where(mistake)}: its header (before the first "---" line) ${header.join("; ")} (see CONTRIBUTING.md, "Mistakes")`,
        );
      } else {
        expect(
          /^\s*(\/\/|\/\*)/.test(readFileSync(mistake, "utf8")),
          `${where(mistake)}: a mistake starts with a comment saying what is wrong and which test catches it`,
        );
      }
    }
    for (const approach of step.approaches) {
      const header = approachProblems(workbook, approach);
      expect(header.length === 0, header.join("; "));
    }
    // A scaffold from `npm run new-step` is unfinished until every placeholder is written.
    const answers = step.modules.map((stub) => join(step.solutionDir, basename(stub)));
    const written = [step.readme, ...step.modules, ...step.specs, ...step.typeSpecs, ...answers];
    for (const file of [...written, ...step.mistakes].filter(existsSync)) {
      expect(
        !holdsPlaceholder(readFileSync(file, "utf8")),
        `${id}: ${where(file)} still holds new-step's placeholder ${placeholder("…")}: write it`,
      );
    }
    expect(
      ![entry.title, ...entry.hints].some(holdsPlaceholder),
      `${id}: its catalog entry (title or hints) still holds new-step's placeholder ${placeholder("…")}: write it`,
    );
  }
  const mistakes = all.reduce((n, s) => n + s.mistakes.length, 0);
  const patches = all.reduce((n, s) => n + s.mistakes.filter(isPatch).length, 0);
  return {
    name: "catalog",
    summary: `${workbook.catalog.length} patterns, ${all.length} steps, ${mistakes} mistakes (${patches} patches) agree with the folders`,
    passed,
    problems,
  };
}

const require = createRequire(import.meta.url);

/** Runs node with `args` and resolves with its exit code and output (never rejects on failure). */
function runNode(args: readonly string[], cwd: string) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/**
 * Check 2: everything compiles under the repository's strict settings. Incremental: the compiler
 * keeps what it learnt in node_modules/.cache/kata/tsc.tsbuildinfo and checks again only the
 * files that changed and those whose view of them changed (a fourth of the time when little did).
 */
export async function checkTypes(workbook: Workbook): Promise<CheckResult> {
  const tsc = require.resolve("typescript/bin/tsc");
  // This repository's only: a fixture workbook (throw-away copies, in the tooling's specs) has
  // no node_modules of its own to keep it in.
  const info = join(repoRoot, "node_modules", ".cache", "kata", "tsc.tsbuildinfo");
  const incremental =
    resolve(workbook.root) === resolve(repoRoot)
      ? ["--incremental", "--tsBuildInfoFile", info]
      : [];
  const { code, output } = await runNode(
    [tsc, "--noEmit", "-p", "tsconfig.json", ...incremental],
    workbook.root,
  );
  const problems = code === 0 ? [] : output.split("\n").filter((l) => /error TS\d+/.test(l));
  if (code !== 0 && problems.length === 0) problems.push(output || `tsc exited with ${code}`);
  return {
    name: "typecheck",
    summary: "tsc --noEmit, strict",
    passed: code === 0 ? 1 : 0,
    problems,
  };
}

/** Check 3: Biome finds nothing to lint or reformat. */
export async function checkLint(workbook: Workbook): Promise<CheckResult> {
  const biome = require.resolve("@biomejs/biome/bin/biome");
  const { code, output } = await runNode([biome, "ci", "--colors=off", "."], workbook.root);
  const problems =
    code === 0 ? [] : [output.split("\n").slice(-40).join("\n"), "fix with: npm run format"];
  return {
    name: "lint",
    summary: "biome ci: lint and format",
    passed: code === 0 ? 1 : 0,
    problems,
  };
}

/**
 * Check 8: the docs site of this repository builds with typedoc's validation, warnings as errors.
 * In a process of its own: typedoc holds the event loop for seconds, and the other checks run on.
 * Only when its inputs changed since the last good build (kata/docs/stamp.ts) and the site is
 * still in `site/`; otherwise the last build's summary stands.
 */
export async function checkDocs(): Promise<CheckResult> {
  const hash = docsInputsHash(repoRoot);
  const stamp = freshStamp<CheckResult>(repoRoot, hash, join(repoRoot, "site"));
  if (stamp) {
    const summary = `${stamp.result.summary.replace(/, built in .*$/, "")}: not rebuilt, its inputs are unchanged`;
    return { ...stamp.result, summary };
  }
  const build = fileURLToPath(new URL("./docs/build.ts", import.meta.url));
  const { code, output } = await runNode(["--import", "tsx", build, "--json"], repoRoot);
  let result: { ok: boolean; problems: string[]; seconds: number; pages: number; bytes: number };
  try {
    result = JSON.parse(output.slice(output.indexOf("{")));
  } catch {
    return {
      name: "docs",
      summary: "typedoc site",
      passed: 0,
      problems: [output || `exit ${code}`],
    };
  }
  const size = `${(result.bytes / 1024 / 1024).toFixed(1)} MB`;
  const checked: CheckResult = {
    name: "docs",
    summary: `typedoc site: ${result.pages} pages, ${size}, built in ${result.seconds.toFixed(1)} s`,
    passed: result.ok ? result.pages : 0,
    problems: result.ok ? [] : result.problems.length > 0 ? result.problems : ["the build failed"],
  };
  if (result.ok) writeStamp(repoRoot, hash, checked);
  return checked;
}

const named = (workbook: Workbook, o: TestOutcome) =>
  `${rel(o.file, workbook.root)}${o.line ? `:${o.line}` : ""} › ${o.name}`;

/** How `checkSpecs()` runs, and treats exercises/fingerprints.json. */
export interface SpecOptions {
  /** Rewrite the selected steps' fingerprints instead of checking them. */
  readonly updateFingerprints?: boolean;
  /** Run the reference's own specs too (default: yes; `npm run check` leaves them out). */
  readonly reference?: boolean;
  /** Hears each run's progress: its name, and spec modules finished of all it runs. */
  readonly progress?: (run: string, done: number, total: number) => void;
}

/**
 * Checks 4–7 and 9: the answer keys and reference pass, stubs fail every test, mistakes are caught
 * (each by the tests its header names), the fingerprints file records what each one fails, and
 * every approach passes.
 */
export async function checkSpecs(
  workbook: Workbook,
  all: readonly Step[],
  options: SpecOptions = {},
): Promise<CheckResult[]> {
  // A patch that no longer applies is a problem of its own, and is not run: its spec would fail
  // to load, which would count as caught.
  const stale: string[] = [];
  const mistakes: Extract<Target, { kind: "mistake" }>[] = all.flatMap((step) =>
    step.mistakes.flatMap((file) => {
      if (isPatch(file)) {
        try {
          applyMistake(file, workbook.root);
        } catch (error) {
          if (!(error instanceof StalePatchError)) throw error;
          stale.push(error.message);
          return [];
        }
      }
      return [{ kind: "mistake" as const, step, file }];
    }),
  );
  // Two runs: an error that escapes every test counts against the answer keys and the reference,
  // but a mistake may well leak one; it is caught only if one of its tests fails. One runner
  // serves both (and the third, below), on two lanes: each lane's vitest starts once.
  const first: Target[] = [
    { kind: "solutions" },
    ...(options.reference === false ? [] : [{ kind: "reference" } as const]),
    { kind: "exercises" },
    ...approachTargets(all),
  ];
  const runner = new SpecRunner(workbook, [...first, ...mistakes]);
  const told =
    (run: string): Progress =>
    (done, total) =>
      options.progress?.(run, done, total);
  try {
    return await specChecks(workbook, all, options, runner, told, first, mistakes, stale);
  } finally {
    await runner.close();
  }
}

/** The runner lane of the mistakes (see `SpecRunner`). */
const MISTAKES = "mistakes";

async function specChecks(
  workbook: Workbook,
  all: readonly Step[],
  options: SpecOptions,
  runner: SpecRunner,
  told: (run: string) => Progress,
  first: readonly Target[],
  mistakes: readonly Extract<Target, { kind: "mistake" }>[],
  stale: readonly string[],
): Promise<CheckResult[]> {
  const where = (file: string) => rel(file, workbook.root);
  // The mistakes have a lane of their own: both runs go at once, one per core.
  const [main, wrong] = await Promise.all([
    runner.run({ workbook, steps: all, targets: first }, told("answer keys, stubs and reference")),
    runner.run({ workbook, steps: all, targets: mistakes }, told("mistakes"), MISTAKES),
  ]);
  const outcomes = [...main.outcomes, ...wrong.outcomes];
  const errors = main.errors;
  const of = (target: string) => outcomes.filter((o) => o.target === target);

  const answers = [...of("solutions"), ...of("reference")];
  const answerProblems = answers
    .filter((o) => o.state !== "passed")
    .map((o) => `${o.target} ${o.state}: ${named(workbook, o)}\n    ${o.messages[0] ?? ""}`);
  for (const step of all) {
    if (!of("solutions").some((o) => o.file.startsWith(step.exerciseDir))) {
      answerProblems.push(`${step.id}: no test ran against the answer key`);
    }
  }
  answerProblems.push(...errors.map((e) => `an error escaped every test: ${e}`));

  const stubs = of("exercises");
  const vacuous = stubs
    .filter((o) => o.state !== "failed")
    .map((o) => `${o.state} on its untouched stub, so it asserts nothing: ${named(workbook, o)}`);

  const failingOf = (m: Target) => [
    ...new Set(
      of(targetName(m))
        .filter((o) => o.state === "failed")
        .map((o) => o.name),
    ),
  ];
  const uncaught: string[] = [...stale];
  let caught = 0;
  for (const m of mistakes) {
    const failing = failingOf(m);
    if (failing.length === 0) {
      uncaught.push(
        `slips through every test of ${m.step.id}: ${where(m.file)} (${mistakeName(m.file)})`,
      );
      continue;
    }
    caught++;
    // A patch's header says which tests catch it; a claim that is not true misleads the reader.
    if (!isPatch(m.file)) continue;
    for (const claimed of describeMistake(m.file).caughtBy) {
      if (!failing.some((name) => name.includes(claimed))) {
        uncaught.push(
          `${where(m.file)}: its header says "${claimed}" catches it, but no such test fails on it (it fails: ${failing.map((f) => `"${f}"`).join(", ")})`,
        );
      }
    }
  }

  // A mistake whose failures differ from its recorded fingerprint is run again, up to twice, alone
  // with the others that differ. A rerun that gives the recorded set, or disagrees with the first
  // run, shows tests that leak state into each other (a garbage collection, an AsyncLocalStorage
  // entered and never left): the fingerprint depends on which tests shared its worker, so it is
  // kept as recorded and the mistake named, not counted as stale. Only a mistake that fails the
  // same other set every time is stale.
  // An unreadable file records nothing here; check 7 names it.
  const printed = fingerprintsOr(workbook.root, () => {});
  const recorded = (m: (typeof mistakes)[number]) =>
    printed.steps[m.step.id]?.mistakes.find((p) => p.name === mistakeName(m.file))?.failing;
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x) => b.includes(x));
  const failing = new Map(mistakes.map((m) => [m, failingOf(m)]));
  let unsure = options.updateFingerprints
    ? []
    : mistakes.filter((m) => {
        const was = recorded(m);
        return was !== undefined && !same(was, failing.get(m) ?? []);
      });
  const unstable: string[] = [];
  for (let rerun = 0; rerun < 2 && unsure.length > 0; rerun++) {
    const again = await runner.run(
      { workbook, steps: all, targets: unsure },
      told("mistakes whose failures changed, again"),
      MISTAKES,
    );
    unsure = unsure.filter((m) => {
      const now = [
        ...new Set(
          again.outcomes
            .filter((o) => o.target === targetName(m) && o.state === "failed")
            .map((o) => o.name),
        ),
      ];
      if (same(now, failing.get(m) ?? [])) return true;
      unstable.push(`${m.step.id}/${mistakeName(m.file)}`);
      failing.set(m, [...(recorded(m) ?? [])]);
      return false;
    });
  }

  const fresh: Fingerprints = {
    steps: Object.fromEntries(
      all.map((step) => [
        step.id,
        {
          tests: [
            ...new Set(stubs.filter((o) => o.file.startsWith(step.exerciseDir)).map((o) => o.name)),
          ],
          stub: stubPrint(workbook, step, stubs),
          mistakes: mistakes
            .filter((m) => m.step === step)
            .map(
              (m): MistakePrint => ({
                name: mistakeName(m.file),
                hint: describeMistake(m.file).hint ?? null,
                failing: failing.get(m) ?? [],
              }),
            ),
        },
      ]),
    ),
  };

  return [
    {
      name: "answers",
      summary:
        options.reference === false
          ? `${of("solutions").length} kata tests pass on the answer keys`
          : `${of("solutions").length} kata tests pass on the answer keys, ${of("reference").length} reference tests pass`,
      passed: answers.length - answerProblems.length,
      problems: answerProblems,
    },
    {
      name: "stubs",
      summary: `${stubs.length} tests each fail on the untouched stubs`,
      passed: stubs.length - vacuous.length,
      problems: vacuous,
    },
    {
      name: "mistakes",
      summary: `${mistakes.length + stale.length} common mistakes each apply and fail at least one test`,
      passed: caught,
      problems: uncaught,
    },
    checkFingerprints(workbook, all, fresh, options.updateFingerprints === true, unstable),
    checkApproaches(workbook, all, main.outcomes),
  ];
}

/** What the untouched stub of `step` fails, as `npm test` shows it while its files are unchanged. */
function stubPrint(workbook: Workbook, step: Step, stubs: readonly TestOutcome[]): StubPrint {
  const local = (text: string) => text.replaceAll(`${workbook.root}${sep}`, "");
  return {
    key: contentKey(step),
    failures: stubs
      .filter((o) => o.file.startsWith(step.exerciseDir) && o.state === "failed")
      .map((o) => ({
        file: rel(o.file, step.exerciseDir),
        name: o.name,
        line: o.line,
        messages: o.messages.map((m) => local(cleanMessage(m))),
        ...(o.failedAt && { failedAt: { line: o.failedAt.line, column: o.failedAt.column } }),
      })),
  };
}

/**
 * Check 7: exercises/fingerprints.json holds, for the steps that ran, exactly the fingerprints
 * this run measured (and, when every step ran, no step the catalog lacks). With `update`, the
 * file is rewritten instead: the steps that ran are replaced, the others kept.
 */
export function checkFingerprints(
  workbook: Workbook,
  ran: readonly Step[],
  fresh: Fingerprints,
  update: boolean,
  unstable: readonly string[] = [],
): CheckResult {
  const file = fingerprintsPath(workbook.root);
  let unreadable: string | undefined;
  const committed = fingerprintsOr(workbook.root, (why) => {
    unreadable = why;
  });
  const catalogued = new Set(
    workbook.catalog.flatMap((p) => p.steps.map((s) => `${p.id}/${s.dir}`)),
  );
  const whole = [...catalogued].every((id) => ran.some((s) => s.id === id));
  const ids = ran.map((s) => s.id);
  const orphans = whole ? Object.keys(committed.steps).filter((id) => !catalogued.has(id)) : [];
  const changed = staleSteps(committed, fresh, ids);
  const stale = [...changed, ...orphans];
  const summary = (verb: string) =>
    `${rel(file, workbook.root)} ${verb} the tests each of ${Object.values(fresh.steps).reduce((n, s) => n + s.mistakes.length, 0)} mistakes and ${ids.length} untouched stubs fails`;
  if (update) {
    // Only the steps that changed are rewritten: a rerun with nothing changed writes the same.
    const renewed = Object.fromEntries(changed.map((id) => [id, fresh.steps[id] as StepPrints]));
    const merged = Object.fromEntries(
      Object.entries({ ...committed.steps, ...renewed }).filter(([id]) => catalogued.has(id)),
    );
    writeFileSync(file, formatFingerprints({ steps: merged }));
    return {
      name: "fingerprints",
      summary: summary(`rewritten (${stale.length} steps changed): records`),
      passed: ids.length,
      problems: [],
    };
  }
  const shaky =
    unstable.length === 0
      ? ""
      : ` (${unstable.length} not the same from run to run, so not compared: ${unstable.join(", ")})`;
  return {
    name: "fingerprints",
    summary: `${summary("records")}${shaky}`,
    passed: ids.length - changed.length,
    problems:
      unreadable !== undefined
        ? [
            `${rel(file, workbook.root)} cannot be read (${unreadable}): rewrite it with \`npm run verify -- --update-fingerprints\` and commit it`,
          ]
        : stale.length === 0
          ? []
          : [
              `${rel(file, workbook.root)} is stale for ${stale.join(", ")}: rewrite it with \`npm run verify -- --update-fingerprints\` and commit it`,
            ],
  };
}

/**
 * What a run of checks says while it works: a line as each check starts and as it ends, and,
 * during the spec runs, how many spec modules are done: a counter rewritten in place on a
 * terminal, a plain line at each quarter otherwise (a CI log).
 */
export class CheckLog {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #started = performance.now();
  #counter = "";
  #lastDraw = 0;
  #quarter = new Map<string, number>();
  #running = new Map<string, string>();

  constructor(out: NodeJS.WriteStream = process.stdout) {
    this.#out = out;
    this.#tty = out.isTTY === true;
  }

  #clock(): string {
    return `${((performance.now() - this.#started) / 1000).toFixed(1).padStart(5)} s`;
  }

  #line(text: string): void {
    if (this.#counter) this.#out.write("\r\u001b[K");
    this.#out.write(`${text}\n`);
    if (this.#counter) this.#out.write(this.#counter);
  }

  /** Runs a check, saying when it starts and how it ended. */
  async check<T extends CheckResult | CheckResult[] | undefined>(
    name: string,
    run: () => Promise<T> | T,
  ): Promise<T> {
    this.#line(`${this.#clock()}  ${name}: started`);
    const began = performance.now();
    const result = await run();
    const seconds = ((performance.now() - began) / 1000).toFixed(1);
    const results = (Array.isArray(result) ? result : result ? [result] : []) as CheckResult[];
    const failed = results.filter((r) => r.problems.length > 0).map((r) => r.name);
    this.#line(
      `${this.#clock()}  ${name}: ${failed.length === 0 ? "done" : `FAILED (${failed.join(", ")})`} in ${seconds} s`,
    );
    return result;
  }

  /** A spec run's progress: `done` of `total` spec modules. */
  count(run: string, done: number, total: number): void {
    if (this.#tty) {
      // Runs may overlap: the counter shows each one still going.
      if (done < total) this.#running.set(run, `${run}: ${done}/${total}`);
      else this.#running.delete(run);
      const now = performance.now();
      if (done < total && now - this.#lastDraw < 100) return;
      this.#lastDraw = now;
      this.#counter =
        this.#running.size > 0
          ? `         ${[...this.#running.values()].join(" · ")} spec files`
          : "";
      this.#out.write(`\r\u001b[K${this.#counter}`);
      return;
    }
    const quarter = Math.floor((done / total) * 4);
    if (quarter === 0 || quarter === this.#quarter.get(run)) return;
    this.#quarter.set(run, quarter);
    this.#line(`${this.#clock()}    ${run}: ${done}/${total} spec files`);
  }

  /** Clears the counter before the report. */
  end(): void {
    if (this.#counter) this.#out.write("\r\u001b[K");
    this.#counter = "";
  }
}

/** The closing report: a line per check, its problems, the verdict and the totals. */
export function renderReport(
  results: readonly CheckResult[],
  seconds: number,
  command = "verify",
): string {
  const lines = [""];
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const mark = r.problems.length === 0 ? pc.green("✓") : pc.red("✗");
    lines.push(`${mark} ${r.name.padEnd(width)}  ${r.summary}`);
    for (const problem of r.problems) {
      lines.push(pc.red(`    ${problem.split("\n").join("\n    ")}`));
    }
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.problems.length, 0);
  const breached = results.filter((r) => r.problems.length > 0).map((r) => r.name);
  lines.push(
    "",
    breached.length === 0
      ? pc.green(`The workbook is sound (${seconds.toFixed(1)} s).`)
      : pc.red(`Breached: ${breached.join(", ")} (${seconds.toFixed(1)} s).`),
    `${command}: ${passed} passed, ${failed} failed`,
  );
  return lines.join("\n");
}
