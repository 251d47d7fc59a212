/**
 * `npm run verify [-- <filter>…] [--workbook <folder>]`: proves the workbook sound. Each check
 * (kata/contract.ts) lists what it found; the last line is the summary `verify: N passed, M failed`
 * and the exit code is non-zero on any breach. Filters (as for `npm test`) narrow the spec checks
 * to some steps while you work on them; CI runs it whole. `--update-fingerprints` rewrites
 * exercises/fingerprints.json (the tests each mistake fails) for the steps it ran.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { isUserError, UsageError } from "./command";
import {
  CheckLog,
  type CheckResult,
  checkCatalog,
  checkDocs,
  checkLint,
  checkSpecs,
  checkTypes,
  renderReport,
  type SpecOptions,
} from "./contract";
import { loadWorkbook, noStepMatches, repoRoot, selectSteps, steps } from "./layout";

const USAGE = `Usage: npm run verify [-- <filter>…] [--update-fingerprints] [--workbook <folder>]

  <filter>               only these steps' specs: a pattern (observer) or part of a step id
                         (observer/03); the other checks always run whole
  --update-fingerprints  rewrite exercises/fingerprints.json (the tests each mistake fails)
                         for the steps that ran, instead of checking it; commit the result
  --workbook <folder>    verify another workbook (a fixture) instead of this repository
  --help                 show this`;

/** Runs every check on the workbook at `root`, saying as it goes what it is doing. */
async function verify(
  root: string | undefined,
  filters: string[],
  options: SpecOptions,
  log: CheckLog,
): Promise<CheckResult[]> {
  const workbook = await loadWorkbook(root);
  const all = steps(workbook);
  const chosen = selectSteps(all, filters);
  // A typo must not pass as "sound": a filter that selects nothing checks nothing.
  if (chosen.length === 0 && filters.length > 0) throw new UsageError(noStepMatches(all, filters));
  const catalog = checkCatalog(workbook, all);
  const [types, lint, docs, specs] = await Promise.all([
    log.check("typecheck", () => checkTypes(workbook)),
    log.check("lint", () => checkLint(workbook)),
    // The site documents this repository; a fixture workbook (--workbook) has none to build.
    workbook.root === resolve(repoRoot) ? log.check("docs", () => checkDocs()) : undefined,
    log.check("specs (answers, stubs, mistakes, fingerprints)", () =>
      checkSpecs(workbook, chosen, {
        ...options,
        progress: (run, done, total) => log.count(run, done, total),
      }),
    ),
  ]);
  log.end();
  return [catalog, types, lint, ...(docs ? [docs] : []), ...specs];
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = parseArgs({
    options: {
      workbook: { type: "string" },
      "update-fingerprints": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const results = await verify(
    args.values.workbook,
    args.positionals,
    { updateFingerprints: args.values["update-fingerprints"] === true },
    new CheckLog(process.stdout),
  );
  process.stdout.write(`${renderReport(results, (performance.now() - started) / 1000)}\n`);
  return results.every((r) => r.problems.length === 0) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!isUserError(error)) throw error;
  process.stderr.write(`${pc.red(error.message)}\n\n${USAGE}\n`);
  process.exitCode = 2;
}
