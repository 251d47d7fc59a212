/**
 * `npm run check`: the maintainer's quick loop, for use while editing, before `npm run verify`.
 *
 * It runs the typecheck (incremental) and the linter on everything, and the spec checks of
 * `verify` (answer keys pass, stubs fail every test, each mistake is caught, fingerprints hold)
 * for the steps whose files changed: against git, the working tree against HEAD plus untracked
 * files. A step's files are its exercise and solution folders (mistakes included) and every
 * module their files import by a relative path (shared spec helpers, a pattern's errors.ts).
 * With nothing changed in any step, it says so and runs only the typecheck and the linter.
 *
 * It leaves out what verify adds: the reference's own specs, the tooling's specs and the docs
 * site. Run `npm run verify` before pushing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { isMain, isUserError, UsageError } from "./command";
import {
  CheckLog,
  type CheckResult,
  checkCatalog,
  checkLint,
  checkSpecs,
  checkTypes,
  renderReport,
} from "./contract";
import { loadWorkbook, rel, type Step, steps, type Workbook } from "./layout";

const USAGE = `Usage: npm run check [-- --all]

  Typecheck and lint everything, and check the answer keys, stubs and mistakes of the steps whose
  files changed since the last commit (untracked files included).
  --all    check every step's specs (verify's spec checks, without the reference and the docs)
  --help   show this`;

/** Files changed against HEAD (staged or not) and untracked files, as absolute paths. */
export function changedFiles(root: string): string[] {
  const git = (args: string[]) => {
    const run = spawnSync("git", args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    if (run.error || run.status !== 0) {
      throw new UsageError(
        `npm run check compares the working tree with git's HEAD, and git failed here: ${
          run.error?.message ?? run.stderr.toString().trim().split("\n")[0]
        }`,
      );
    }
    return run.stdout
      .toString()
      .split("\0")
      .filter((f) => f !== "");
  };
  const top = git(["rev-parse", "--show-toplevel"])[0]?.trim() ?? root;
  // `git diff HEAD` names paths from the top of the repository; untracked ones from `root`.
  const changed = git(["diff", "--name-only", "-z", "HEAD"]).map((f) => resolve(top, f));
  const untracked = git(["ls-files", "-z", "--others", "--exclude-standard"]).map((f) =>
    resolve(root, f),
  );
  return [...new Set([...changed, ...untracked])].sort();
}

const IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

/**
 * A step's files: its two folders, and what their modules import by a relative path. Imports are
 * followed through the workbook's content (exercises, solutions, patterns), not through the
 * tooling: a spec helper in kata/ is the step's, the modules the helper uses are not.
 */
function stepFiles(workbook: Workbook, step: Step): Set<string> {
  const content = [workbook.exercisesDir, workbook.solutionsDir, workbook.patternsDir];
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file) || !existsSync(file)) return;
    files.add(file);
    if (!file.endsWith(".ts") || !content.some((dir) => file.startsWith(`${dir}/`))) return;
    for (const [, path = ""] of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolve(dirname(file), path);
      for (const candidate of [target, `${target}.ts`, join(target, "index.ts")]) {
        if (existsSync(candidate)) visit(candidate);
      }
    }
  };
  for (const dir of [step.exerciseDir, step.solutionDir]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) visit(join(entry.parentPath, entry.name));
    }
  }
  return files;
}

/** The steps whose files include one of `changed` (a deleted file counts by its path). */
export function changedSteps(
  workbook: Workbook,
  all: readonly Step[],
  changed: readonly string[],
): Step[] {
  const under = (file: string, dir: string) => file.startsWith(`${dir}/`) || file === dir;
  return all.filter((step) => {
    const own = stepFiles(workbook, step);
    return changed.some(
      (file) => own.has(file) || under(file, step.exerciseDir) || under(file, step.solutionDir),
    );
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = parseArgs({
    options: { all: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  });
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const workbook = await loadWorkbook();
  const all = steps(workbook);
  const changed = changedFiles(workbook.root);
  const chosen = args.values.all ? all : changedSteps(workbook, all, changed);
  const log = new CheckLog(process.stdout);
  const some = (files: readonly string[]) =>
    files
      .slice(0, 4)
      .map((f) => rel(f, workbook.root))
      .join(", ") + (files.length > 4 ? `, … (${files.length} in all)` : "");
  if (args.values.all) {
    process.stdout.write(`npm run check --all: every step (${all.length}).\n`);
  } else if (changed.length === 0) {
    process.stdout.write(
      "Nothing changed since the last commit: typecheck and lint only (--all checks every step).\n",
    );
  } else if (chosen.length === 0) {
    process.stdout.write(
      `${changed.length} file(s) changed (${some(changed)}), none of them a step's: typecheck and lint only.\n`,
    );
  } else {
    process.stdout.write(
      `${changed.length} file(s) changed (${some(changed)}): checking ${chosen.length} step(s): ${chosen.map((s) => s.id).join(", ")}.\n`,
    );
  }
  const catalog = checkCatalog(workbook, all);
  const [types, lint, specs] = await Promise.all([
    log.check("typecheck", () => checkTypes(workbook)),
    log.check("lint", () => checkLint(workbook)),
    chosen.length === 0
      ? ([] as CheckResult[])
      : log.check("specs (answers, stubs, mistakes, fingerprints)", () =>
          checkSpecs(workbook, chosen, {
            reference: false,
            progress: (run, done, total) => log.count(run, done, total),
          }),
        ),
  ]);
  log.end();
  const results = [catalog, types, lint, ...specs];
  process.stdout.write(
    `${renderReport(results, (performance.now() - started) / 1000, "check")}\n` +
      pc.dim(
        "Not checked here: the reference's and the tooling's specs, the docs (npm run verify).\n",
      ),
  );
  return results.every((r) => r.problems.length === 0) ? 0 : 1;
}

// Run as a command (`npm run check`), not when a spec imports `changedSteps`.
if (isMain(import.meta.url)) {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (!isUserError(error)) throw error;
    process.stderr.write(`${pc.red(error.message)}\n\n${USAGE}\n`);
    process.exitCode = 2;
  }
}
