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
  type CheckResult,
  checkCatalog,
  checkDocs,
  checkLint,
  checkSpecs,
  checkTypes,
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

/** Runs every check on the workbook at `root`. */
async function verify(
  root: string | undefined,
  filters: string[],
  options: SpecOptions,
): Promise<CheckResult[]> {
  const workbook = await loadWorkbook(root);
  const all = steps(workbook);
  const chosen = selectSteps(all, filters);
  // A typo must not pass as "sound": a filter that selects nothing checks nothing.
  if (chosen.length === 0 && filters.length > 0) throw new UsageError(noStepMatches(all, filters));
  const catalog = checkCatalog(workbook, all);
  const [types, lint, docs, specs] = await Promise.all([
    checkTypes(workbook),
    checkLint(workbook),
    // The site documents this repository; a fixture workbook (--workbook) has none to build.
    workbook.root === resolve(repoRoot) ? checkDocs() : undefined,
    checkSpecs(workbook, chosen, options),
  ]);
  return [catalog, types, lint, ...(docs ? [docs] : []), ...specs];
}

function report(results: readonly CheckResult[], seconds: number): string {
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
    `verify: ${passed} passed, ${failed} failed`,
  );
  return lines.join("\n");
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
  const results = await verify(args.values.workbook, args.positionals, {
    updateFingerprints: args.values["update-fingerprints"] === true,
  });
  process.stdout.write(`${report(results, (performance.now() - started) / 1000)}\n`);
  return results.every((r) => r.problems.length === 0) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!isUserError(error)) throw error;
  process.stderr.write(`${pc.red(error.message)}\n\n${USAGE}\n`);
  process.exitCode = 2;
}
