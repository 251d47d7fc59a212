/**
 * The progress board: a line per pattern, then the first unsolved step's failures and where to go
 * next. Pure: it turns outcomes into text, so it is easy to test and to redraw in watch mode.
 */
import pc from "picocolors";
import { rel, type Step } from "./layout";
import type { TestOutcome } from "./outcome";

export interface StepStatus {
  readonly step: Step;
  readonly outcomes: readonly TestOutcome[];
  readonly passed: number;
  /** Every test ran and passed (a step without tests is never solved). */
  readonly solved: boolean;
}

/** Groups outcomes by step; outcomes are matched to a step by their spec file's folder. */
export function stepStatuses(
  steps: readonly Step[],
  outcomes: readonly TestOutcome[],
): StepStatus[] {
  return steps.map((step) => {
    const own = outcomes.filter((o) => o.file.startsWith(step.exerciseDir));
    const passed = own.filter((o) => o.state === "passed").length;
    return { step, outcomes: own, passed, solved: own.length > 0 && passed === own.length };
  });
}

const BAR_WIDTH = 12;

function bar(done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return pc.green("█".repeat(filled)) + pc.dim("░".repeat(BAR_WIDTH - filled));
}

const indent = (text: string, by: string): string =>
  text
    .split("\n")
    .map((line) => by + line)
    .join("\n");

/** How many failing tests of the current step are shown in full. */
const SHOWN_FAILURES = 3;

/** Renders the board for `statuses` (in catalog order). Fits in 80 columns. */
export function renderBoard(
  statuses: readonly StepStatus[],
  runErrors: readonly string[] = [],
): string {
  const lines: string[] = ["", pc.bold("Design patterns kata"), ""];
  const patterns = [...new Set(statuses.map((s) => s.step.pattern))];
  const width = Math.max(...patterns.map((p) => p.title.length));
  for (const pattern of patterns) {
    const own = statuses.filter((s) => s.step.pattern === pattern);
    const solved = own.filter((s) => s.solved).length;
    const mark = solved === own.length ? pc.green("✓") : " ";
    lines.push(
      `${mark} ${pattern.title.padEnd(width)}  ${bar(solved, own.length)}  ${solved}/${own.length} steps solved`,
    );
  }
  const tests = statuses.flatMap((s) => s.outcomes);
  const passing = tests.filter((o) => o.state === "passed").length;
  const solvedSteps = statuses.filter((s) => s.solved).length;
  lines.push(
    "",
    pc.dim(
      `${solvedSteps}/${statuses.length} steps solved · ${passing}/${tests.length} tests passing`,
    ),
  );

  const current = statuses.find((s) => !s.solved);
  if (!current) {
    lines.push("", pc.green(pc.bold("Every step is solved. Well done!")), "");
    return lines.join("\n");
  }
  const { step } = current;
  const ofPattern = step.pattern.steps.length;
  const position = step.pattern.steps.indexOf(step.entry) + 1;
  lines.push(
    "",
    `${pc.bold("Next:")} ${step.pattern.title}, step ${position} of ${ofPattern}: ${pc.bold(step.entry.title)}`,
    pc.dim(`      ${step.id}`),
    "",
  );
  const failing = current.outcomes.filter((o) => o.state !== "passed");
  if (current.outcomes.length === 0) lines.push(pc.yellow("  This step has no tests yet."));
  for (const outcome of failing.slice(0, SHOWN_FAILURES)) {
    const where = `${rel(outcome.file)}${outcome.line ? `:${outcome.line}` : ""}`;
    lines.push(`  ${pc.red("✗")} ${outcome.name}`, pc.dim(`    ${where}`));
    for (const message of outcome.messages.slice(0, 1)) lines.push(indent(message, "    "));
    lines.push("");
  }
  if (failing.length > SHOWN_FAILURES) {
    lines.push(pc.dim(`  …and ${failing.length - SHOWN_FAILURES} more failing in this step`), "");
  }
  for (const error of runErrors) lines.push(pc.red(indent(error, "  ")), "");
  lines.push(
    `  Instructions: ${rel(step.readme)}`,
    `  Hint:         npm run kata -- hint ${step.id}`,
    `  Just this:    npm test -- ${step.id}`,
    "",
  );
  return lines.join("\n");
}
