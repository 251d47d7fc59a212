/**
 * The student's command line.
 *
 *   npm test [-- <filter>…]              run the kata and print the board
 *   npm run kata -- list                 every step with its status
 *   npm run kata -- hint <step> [n]      the first n hints of a step (default 1)
 *
 * A filter is a pattern (`singleton`), a step (`singleton/02-lazy`) or a folder name (`02-lazy`).
 */
import pc from "picocolors";
import { renderBoard, stepStatuses } from "./board";
import { loadWorkbook, rel, type Step, selectSteps, steps, type Workbook } from "./layout";
import { runSpecs } from "./run";

class UsageError extends Error {
  override name = "UsageError";
}

const workbook: Workbook = await loadWorkbook();

function pick(filters: readonly string[]): Step[] {
  const all = steps(workbook);
  const chosen = selectSteps(all, filters);
  if (chosen.length === 0) {
    throw new UsageError(
      `No step matches ${filters.map((f) => `"${f}"`).join(", ")}. Try a pattern: ${[
        ...new Set(all.map((s) => s.pattern.id)),
      ].join(", ")}.`,
    );
  }
  return chosen;
}

async function test(filters: readonly string[]): Promise<number> {
  const chosen = pick(filters);
  const { outcomes, errors } = await runSpecs({
    workbook,
    targets: [{ kind: "exercises" }],
    steps: chosen,
  });
  const statuses = stepStatuses(chosen, outcomes);
  process.stdout.write(`${renderBoard(statuses, errors)}\n`);
  return statuses.every((s) => s.solved) && errors.length === 0 ? 0 : 1;
}

async function list(filters: readonly string[]): Promise<number> {
  const chosen = pick(filters);
  const { outcomes } = await runSpecs({
    workbook,
    targets: [{ kind: "exercises" }],
    steps: chosen,
  });
  for (const status of stepStatuses(chosen, outcomes)) {
    const mark = status.solved ? pc.green("✓ solved  ") : pc.yellow("· unsolved");
    const count = `${status.passed}/${status.outcomes.length}`.padStart(5);
    process.stdout.write(
      `${mark} ${count}  ${status.step.id.padEnd(40)} ${status.step.entry.title}\n`,
    );
  }
  return 0;
}

function hint(args: readonly string[]): number {
  const [filter, count = "1"] = args;
  if (!filter) throw new UsageError("Which step? For example: npm run kata -- hint singleton/01");
  const [step, ...others] = pick([filter]);
  if (!step || others.length > 0) {
    throw new UsageError(
      `"${filter}" names more than one step; give its full id, e.g. ${step?.id}`,
    );
  }
  const hints = step.entry.hints;
  const shown = Math.min(Math.max(1, Number.parseInt(count, 10) || 1), hints.length);
  process.stdout.write(`\n${pc.bold(step.entry.title)} ${pc.dim(`(${step.id})`)}\n\n`);
  hints.slice(0, shown).forEach((h, i) => {
    process.stdout.write(`  Hint ${i + 1}/${hints.length}: ${h}\n\n`);
  });
  if (shown < hints.length) {
    process.stdout.write(pc.dim(`  More: npm run kata -- hint ${step.id} ${shown + 1}\n`));
  }
  process.stdout.write(pc.dim(`  Instructions: ${rel(step.readme)}\n`));
  return 0;
}

const commands: Record<string, (args: string[]) => number | Promise<number>> = {
  test,
  list,
  hint,
};

async function main(argv: string[]): Promise<number> {
  const [command = "test", ...args] = argv;
  const run = commands[command];
  if (!run)
    throw new UsageError(
      `Unknown command "${command}". Commands: ${Object.keys(commands).join(", ")}.`,
    );
  return run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof UsageError ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
