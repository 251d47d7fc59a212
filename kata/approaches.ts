/**
 * Approaches: other correct answers to a step, worth comparing with the answer key once the step
 * is solved (a class or a closure, a Map or an array, a cached promise or a flag). Each is a whole
 * module that stands in for the step's stub, `solutions/<pattern>/<step>/approaches/<name>.ts`,
 * and starts with a comment: its title on a line `Approach: <title>`, then its trade-offs against
 * the answer key, in Markdown (a few lines or bullets):
 *
 * ```ts
 * // Approach: The instance in a module variable
 * //
 * // - Gains: …
 * // - Costs: …
 * ```
 *
 * Verify runs each one against its step's specs, as it runs the answer key (target kind
 * `approach`, redirected in targets.ts), and fails naming any that does not pass every test; the
 * catalog check validates the header. `npm run kata -- approaches <step>` and the docs site's step
 * pages show them.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import pc from "picocolors";
import type { StepStatus } from "./board";
import type { CheckResult } from "./contract";
import { rel, type Step, type Workbook } from "./layout";
import { splitLeadingComment } from "./mistakes";
import type { TestOutcome } from "./outcome";
import { type Target, targetName } from "./targets";

/** One approach, read from its file. */
export interface Approach {
  readonly file: string;
  /** The file's name without `.ts`: `module-variable`. */
  readonly name: string;
  readonly title: string;
  /** What it gains and costs against the answer key, as Markdown. */
  readonly tradeOffs: string;
  /** The module after its leading comment. */
  readonly code: string;
  /** The 1-based line the code starts on. */
  readonly codeLine: number;
}

const TITLE = /^Approach:\s*(.*)$/;

/**
 * An approach module's leading comment (`//` lines or one block comment) split into its title
 * and trade-offs, the code after it, and what is wrong with the header (nothing, when it is well
 * formed). `biome-ignore` lines are tooling, not prose.
 */
export function parseApproach(source: string): {
  title: string;
  tradeOffs: string;
  code: string;
  codeLine: number;
  problems: string[];
} {
  const { prose, lines, codeIndex: i } = splitLeadingComment(source);
  const first = prose.findIndex((l) => l.trim() !== "");
  const title = TITLE.exec((prose[first] ?? "").trim())?.[1]?.trim() ?? "";
  const tradeOffs = prose
    .slice(first + 1)
    .join("\n")
    .trim();
  const problems: string[] = [];
  if (first === -1 || !TITLE.test((prose[first] ?? "").trim())) {
    problems.push('does not start with a comment whose first line is "Approach: <title>"');
  } else if (title === "") {
    problems.push('gives no title after "Approach:"');
  }
  if (problems.length === 0 && tradeOffs === "") {
    problems.push("says nothing of its trade-offs after its title");
  }
  return {
    title,
    tradeOffs,
    code: lines.slice(i).join("\n").trimEnd(),
    codeLine: i + 1,
    problems,
  };
}

/** Reads one approach file. */
export function readApproach(file: string): Approach {
  const { title, tradeOffs, code, codeLine } = parseApproach(readFileSync(file, "utf8"));
  return { file, name: basename(file, ".ts"), title, tradeOffs, code, codeLine };
}

/** What is wrong with an approach file's header, one line each (the catalog check reports them). */
export function approachProblems(workbook: Workbook, file: string): string[] {
  return parseApproach(readFileSync(file, "utf8")).problems.map(
    (p) => `${rel(file, workbook.root)}: an approach ${p} (see CONTRIBUTING.md, "Approaches")`,
  );
}

/** One target per approach of `steps`, each running only its own step's specs. */
export const approachTargets = (steps: readonly Step[]): ApproachTarget[] =>
  steps.flatMap((step) =>
    step.approaches.map((file) => ({ kind: "approach" as const, step, file })),
  );

/** The target that serves one approach in place of its step's stub. */
export type ApproachTarget = Extract<Target, { kind: "approach" }>;

/**
 * The approaches check: every approach of `steps` passes every runtime and type-level test of its
 * step, as the answer key must. `outcomes` are the run's, in which `approachTargets(steps)` ran.
 */
export function checkApproaches(
  workbook: Workbook,
  steps: readonly Step[],
  outcomes: readonly TestOutcome[],
): CheckResult {
  const problems: string[] = [];
  let passed = 0;
  const targets = approachTargets(steps);
  for (const target of targets) {
    const name = targetName(target);
    const mine = outcomes.filter((o) => o.target === name);
    const where = rel(target.file, workbook.root);
    const failing = mine.filter((o) => o.state !== "passed");
    if (mine.length === 0) {
      problems.push(`${where}: no test of ${target.step.id} ran against this approach`);
    } else if (failing.length > 0) {
      problems.push(
        `${where} is not a correct approach: ${failing.length} of ${mine.length} tests do not pass\n` +
          failing
            .map(
              (o) =>
                `  ${o.state}: ${o.name}${o.messages[0] ? `\n    ${o.messages[0].split("\n")[0]}` : ""}`,
            )
            .join("\n"),
      );
    } else {
      passed++;
    }
  }
  const stepsWith = steps.filter((s) => s.approaches.length > 0).length;
  return {
    name: "approaches",
    summary: `${targets.length} ${targets.length === 1 ? "approach" : "approaches"} (in ${stepsWith} of ${steps.length} ${steps.length === 1 ? "step" : "steps"}) each pass every test of their step`,
    passed,
    problems,
  };
}

/** Where `showApproaches()` writes, and how it learns whether the step is solved. */
export interface ShowOptions {
  readonly out: (text: string) => void;
  /** Runs the step's specs against the student's work (only called when there is something to show). */
  readonly solved: () => Promise<StepStatus>;
  readonly width?: number;
}

/**
 * `npm run kata -- approaches <step>`: once the step is solved, each approach's title,
 * trade-offs and code; before, a friendly refusal that says how to solve it. Resolves with the
 * exit code.
 */
export async function showApproaches(
  step: Step,
  workbook: Workbook,
  { out, solved, width = 80 }: ShowOptions,
): Promise<number> {
  if (step.approaches.length === 0) {
    out(
      `This copy of the workbook has no other approaches for ${step.id}` +
        " (they live in solutions/, which a hand-out does not include).",
    );
    return 1;
  }
  const status = await solved();
  if (!status.solved) {
    const why =
      status.problems.length > 0
        ? "it does not compile yet"
        : `${status.passed} of ${status.outcomes.length} tests pass`;
    out(`The approaches to ${step.id} open once the step is solved: ${why}.`);
    out(
      pc.dim(`  Solve it first: npm test -- ${step.id}   Stuck? npm run kata -- hint ${step.id}`),
    );
    return 1;
  }
  const approaches = step.approaches.map(readApproach);
  const count = approaches.length;
  out(
    `\n${pc.bold(step.entry.title)} ${pc.dim(`(${step.id})`)}: solved. ${count} other ${
      count === 1 ? "approach" : "approaches"
    } besides the answer key, each as correct as yours:`,
  );
  approaches.forEach((approach, i) => {
    const rule = "─".repeat(Math.max(0, width - approach.title.length - 20));
    out(pc.bold(`\n── Approach ${i + 1} of ${count}: ${approach.title} ${rule}`));
    out(pc.dim(rel(approach.file, workbook.root)));
    out(`\n${approach.tradeOffs}\n`);
    out(approach.code);
  });
  out(pc.dim(`\nThe answer key: npm run kata -- solution ${step.id}`));
  return 0;
}
