/**
 * The progress board: a line per pattern, then one step (the first unsolved, or the one watch
 * mode is on) with its failures and where to go next. Pure: it turns outcomes into text, so it is
 * easy to test and to redraw in watch mode. Everything fits in 80 columns (or `width`), and
 * colours follow picocolors, which turns them off for NO_COLOR and output that is not a terminal.
 */
import pc from "picocolors";
import type { CompileProblem } from "./compile";
import { rel, type Step } from "./layout";
import { type FingerprintMatch, type Fingerprints, matchFingerprint } from "./mistakes";
import type { TestOutcome } from "./outcome";

export interface StepStatus {
  readonly step: Step;
  readonly outcomes: readonly TestOutcome[];
  readonly passed: number;
  /** Syntax and type errors in the step's modules. */
  readonly problems: readonly CompileProblem[];
  /** Every test ran and passed, and the step compiles (a step without tests is never solved). */
  readonly solved: boolean;
}

const slashes = (path: string): string => path.replace(/\\/g, "/");

/** Groups outcomes and compile problems by step, matched by their file's folder. */
export function stepStatuses(
  steps: readonly Step[],
  outcomes: readonly TestOutcome[],
  problems: readonly CompileProblem[] = [],
): StepStatus[] {
  return steps.map((step) => {
    const dir = `${slashes(step.exerciseDir)}/`;
    const inStep = (file: string) => slashes(file).startsWith(dir);
    const own = outcomes.filter((o) => inStep(o.file));
    const mine = problems.filter((p) => inStep(p.file));
    const passed = own.filter((o) => o.state === "passed").length;
    return {
      step,
      outcomes: own,
      passed,
      problems: mine,
      solved: own.length > 0 && passed === own.length && mine.length === 0,
    };
  });
}

/** What a step's tests printed (console.log), from a run's logs by spec file. */
export function stepLogs(
  step: Step | undefined,
  logs: ReadonlyMap<string, readonly string[]>,
): string[] {
  return step ? step.specs.flatMap((file) => logs.get(file) ?? []) : [];
}

/** What the board shows besides the statuses. */
export interface BoardOptions {
  /** The step shown in full; by default the first unsolved one. */
  readonly focus?: Step;
  /** Show this many of the focused step's hints inline (watch mode's `h`), instead of the command. */
  readonly hints?: number;
  /** Lines of output the focused step's tests printed (console.log). */
  readonly logs?: readonly string[];
  /** Paths are shown relative to this folder (the workbook's root). */
  readonly root?: string;
  /** Columns available; 80 by default. */
  readonly width?: number;
  /** `watch` leaves out the commands that watch mode has keys for. */
  readonly mode?: "test" | "watch";
  /**
   * How many steps the whole kata has. When `statuses` are fewer (a filtered run, `npm test --
   * singleton/01`), the board reports on the steps it ran, never on the whole kata.
   */
  readonly total?: number;
  /** The catalogued mistakes' fingerprints (exercises/fingerprints.json), to name a misconception. */
  readonly fingerprints?: Fingerprints;
}

const BAR_WIDTH = 12;
/** Below this width the progress bars are left out, so that each pattern keeps to one line. */
const NARROW = 64;
/** Lines of an expected/actual difference shown. */
const SHOWN_DIFF_LINES = 8;
/** How many failing tests of the focused step are shown in full. */
const SHOWN_FAILURES = 3;
const SHOWN_PROBLEMS = 3;
const SHOWN_LOG_LINES = 8;

function bar(done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return pc.green("█".repeat(filled)) + pc.dim("░".repeat(BAR_WIDTH - filled));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plainLength = (text: string): number => text.replace(/\u001b\[[0-9;]*m/g, "").length;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Where a word too long for the line is best cut: after the last `/` (or `-`, `.`, `:`) that fits,
 * so that a path breaks between its parts; anywhere only when nothing fits.
 */
function cutAt(word: string, room: number): number {
  const head = word.slice(0, room);
  const at = Math.max(head.lastIndexOf("/"), head.lastIndexOf("\\"));
  if (at > 0) return at + 1;
  const other = Math.max(head.lastIndexOf("-"), head.lastIndexOf("."), head.lastIndexOf(":"));
  return other > 0 ? other + 1 : Math.max(1, room);
}

/**
 * Wraps plain text to `width` columns, every line starting with `indent` (the first with
 * `first`); words longer than a line are cut, paths between their folders.
 */
export function wrap(text: string, width: number, indent = "", first = indent): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = lines.length === 0 ? first : indent;
    let empty = true;
    const room = () => width - line.length;
    for (let word of paragraph.split(" ")) {
      while (word.length > 0) {
        const sep = empty ? "" : " ";
        if (word.length + sep.length <= room()) {
          line += sep + word;
          word = "";
          empty = false;
        } else if (!empty) {
          lines.push(line);
          line = indent;
          empty = true;
        } else {
          const cut = cutAt(word, room());
          line += word.slice(0, cut);
          word = word.slice(cut);
          lines.push(line);
          line = indent;
        }
      }
    }
    lines.push(line);
  }
  return lines.map((l) => l.trimEnd());
}

/** A step's status in a word: solved, does not compile, or how many tests pass. */
export function statusWord(status: StepStatus): string {
  if (status.solved) return pc.green("solved");
  if (status.problems.length > 0) return pc.red("does not compile");
  if (status.outcomes.length === 0) return pc.yellow("no tests");
  return pc.yellow(`${status.passed}/${status.outcomes.length} tests pass`);
}

/** Renders the board for `statuses` (in catalog order). */
export function renderBoard(
  statuses: readonly StepStatus[],
  runErrors: readonly string[] = [],
  options: BoardOptions = {},
): string {
  const width = options.width ?? 80;
  const where = (file: string) => (options.root ? rel(file, options.root) : rel(file));
  const lines: string[] = ["", pc.bold("Design patterns kata"), ""];
  const patterns = [...new Set(statuses.map((s) => s.step.pattern))];
  const titleWidth = Math.max(...patterns.map((p) => p.title.length));
  const total = Math.max(options.total ?? statuses.length, statuses.length);
  const filtered = total > statuses.length;
  const narrow = width < NARROW;
  for (const pattern of patterns) {
    const own = statuses.filter((s) => s.step.pattern === pattern);
    const solved = own.filter((s) => s.solved).length;
    const mark = solved === own.length ? pc.green("✓") : " ";
    const all = pattern.steps.length;
    const count =
      filtered && own.length < all
        ? `ran ${own.length} of ${all}: ${solved} solved`
        : narrow
          ? `${solved}/${own.length} solved`
          : `${solved}/${own.length} steps solved`;
    const shown = narrow ? "" : `${bar(solved, own.length)}  `;
    lines.push(`${mark} ${pattern.title.padEnd(titleWidth)}  ${shown}${count}`);
  }
  const solvedSteps = statuses.filter((s) => s.solved).length;
  // A step that does not compile is not counted as passing tests, whatever its tests did.
  const broken = statuses.filter((s) => s.problems.length > 0);
  const tests = statuses.filter((s) => s.problems.length === 0).flatMap((s) => s.outcomes);
  const passing = tests.filter((o) => o.state === "passed").length;
  const summary = [
    filtered
      ? `ran ${statuses.length} of the kata's ${total} steps: ${solvedSteps} solved`
      : `${solvedSteps}/${statuses.length} steps solved`,
    ...(broken.length > 0
      ? [
          `${plural(broken.length, "step")} ${broken.length === 1 ? "does" : "do"} not compile`,
          ...(tests.length > 0 ? [`${passing}/${tests.length} tests passing in the others`] : []),
        ]
      : [`${passing}/${tests.length} tests passing`]),
  ];
  lines.push("", ...wrap(summary.join(" · "), width).map(pc.dim));

  const current = statuses.find((s) => s.step === options.focus) ?? statuses.find((s) => !s.solved);
  if (!current) {
    if (filtered) {
      const ran = statuses.length === 1 ? "The step you ran is" : "Every step you ran is";
      lines.push(
        "",
        pc.green(pc.bold(`${ran} solved.`)),
        ...wrap(
          `The kata's other ${plural(total - statuses.length, "step")} did not run: npm test runs them all.`,
          width,
        ),
        "",
      );
    } else {
      lines.push("", pc.green(pc.bold("Every step is solved. Well done!")), "");
    }
    for (const error of runErrors) lines.push(...wrap(error, width, "  ").map(pc.red), "");
    return lines.join("\n");
  }
  const { step } = current;
  const ofPattern = step.pattern.steps.length;
  const position = step.pattern.steps.indexOf(step.entry) + 1;
  const label = current.solved ? pc.green("Solved:") : pc.bold("Next:");
  lines.push(
    "",
    ...wrap(
      `${step.pattern.title}, step ${position} of ${ofPattern}: ${step.entry.title}`,
      width,
      "      ",
      // The label ("Next:", "Solved:") takes the first line's indent.
      " ".repeat(plainLength(label) + 1),
    ).map((line, i) =>
      i === 0 ? `${label} ${pc.bold(line.slice(plainLength(label) + 1))}` : pc.bold(line),
    ),
    ...wrap(step.id, width, "      ").map(pc.dim),
    "",
  );

  if (current.problems.length > 0) {
    lines.push(`  ${pc.red("✗")} ${pc.red(pc.bold("does not compile"))}`);
    for (const problem of current.problems.slice(0, SHOWN_PROBLEMS)) {
      const at = `${where(problem.file)}:${problem.line}:${problem.column}`;
      lines.push(...wrap(at, width, "    ").map(pc.dim));
      lines.push(...wrap(problem.message, width, "      ", "    "));
    }
    if (current.problems.length > SHOWN_PROBLEMS) {
      lines.push(pc.dim(`    …and ${current.problems.length - SHOWN_PROBLEMS} more errors`));
    }
    if (current.outcomes.length > 0) {
      const ran = `${current.passed}/${current.outcomes.length}`;
      lines.push(
        ...wrap(
          `Its tests ran on the code as it is (${ran} pass), but the step is solved only once it compiles.`,
          width,
          "    ",
        ).map(pc.dim),
      );
    }
    lines.push("");
  }
  const failing = current.outcomes.filter((o) => o.state !== "passed");
  if (current.outcomes.length === 0) lines.push(pc.yellow("  This step has no tests yet."), "");
  if (current.solved) {
    lines.push(`  ${pc.green("✓")} all ${current.outcomes.length} tests pass`, "");
  }
  for (const outcome of failing.slice(0, SHOWN_FAILURES)) {
    lines.push(...renderFailure(outcome, width, where));
  }
  if (failing.length > SHOWN_FAILURES) {
    lines.push(pc.dim(`  …and ${failing.length - SHOWN_FAILURES} more failing in this step`), "");
  }
  const [looksLike] = current.solved ? [] : misconceptions(current, options.fingerprints);
  if (looksLike) lines.push(...renderMisconception(looksLike, step, width), "");
  const logs = options.logs ?? [];
  if (logs.length > 0) {
    lines.push(pc.dim("  Output of the tests:"));
    const shown = logs.slice(-SHOWN_LOG_LINES);
    if (logs.length > shown.length)
      lines.push(pc.dim(`    …${logs.length - shown.length} lines before`));
    for (const line of shown) lines.push(...wrap(line, width, "    "));
    lines.push("");
  }
  for (const error of runErrors) lines.push(...wrap(error, width, "  ").map(pc.red), "");

  const hints = step.entry.hints;
  const shownHints = Math.min(options.hints ?? 0, hints.length);
  for (const [i, hint] of hints.slice(0, shownHints).entries()) {
    lines.push(...wrap(hint, width, "    ", `  ${pc.cyan(`Hint ${i + 1}/${hints.length}:`)} `), "");
  }
  const pointers: [string, string][] = [["Instructions:", where(step.readme)]];
  if (options.mode !== "watch") {
    pointers.push(["Hint:", `npm run kata -- hint ${step.id}`]);
    pointers.push(["Just this:", `npm test -- ${step.id}`]);
  } else if (current.solved) {
    pointers.push(["Answer key:", `npm run kata -- solution ${step.id}`]);
  }
  for (const [label, text] of pointers) {
    lines.push(...wrap(text, width, " ".repeat(16), `  ${label.padEnd(13)} `));
  }
  lines.push("");
  return lines.join("\n");
}

/** A failing test: its name, where it failed (the failing `expect`), its message and diff. */
function renderFailure(
  outcome: TestOutcome,
  width: number,
  where: (file: string) => string,
): string[] {
  const lines: string[] = [];
  const mark = outcome.state === "skipped" ? pc.yellow("○") : pc.red("✗");
  lines.push(...wrap(outcome.name, width, "    ", `  ${mark} `));
  const line = outcome.failedAt?.line ?? outcome.line;
  const at = `${where(outcome.file)}${line ? `:${line}` : ""}`;
  lines.push(...wrap(at, width, "    ").map(pc.dim));
  const source = outcome.failedAt?.source;
  // A type test's message may quote the line already.
  if (source && !outcome.messages[0]?.includes(source))
    lines.push(...wrap(source, width, "      ", "    › ").map(pc.cyan));
  for (const message of outcome.messages.slice(0, 1)) {
    const text = message.split("\n").filter((l) => l.trim() !== "");
    lines.push(...wrap(text.slice(0, 4).join("\n"), width, "    "));
  }
  const diff = outcome.diff?.split("\n").filter((l) => l.trim() !== "") ?? [];
  for (const text of diff.slice(0, SHOWN_DIFF_LINES)) {
    const color = text.startsWith("-") ? pc.green : text.startsWith("+") ? pc.red : pc.dim;
    lines.push(...wrap(text, width, "      ", "    ").map(color));
  }
  if (diff.length > SHOWN_DIFF_LINES) {
    lines.push(pc.dim(`    …${diff.length - SHOWN_DIFF_LINES} more lines of difference`));
  }
  lines.push("");
  return lines;
}

/**
 * The catalogued mistakes a step's failures look like (exercises/fingerprints.json), best first;
 * none for an untouched stub, whose failures are every test (`matchFingerprint`).
 */
export function misconceptions(
  status: StepStatus,
  fingerprints: Fingerprints | undefined,
): FingerprintMatch[] {
  if (!fingerprints) return [];
  const failing = status.outcomes.filter((o) => o.state !== "passed").map((o) => o.name);
  return matchFingerprint(fingerprints, status.step.id, failing);
}

/** "This looks like …": the mistake's name in words, and its hint, which names no answer. */
function renderMisconception(match: FingerprintMatch, step: Step, width: number): string[] {
  const name = match.name.replace(/[-_]+/g, " ");
  const text = match.hint
    ? `This looks like a known mistake, "${name}": ${match.hint}`
    : `This looks like a known mistake: "${name}". The step's hints may help: npm run kata -- hint ${step.id}`;
  return wrap(text, width, "    ", "  ").map(pc.magenta);
}

/** One line per step: its status, id and title, in `width` columns. */
export function renderList(statuses: readonly StepStatus[], width = 80): string {
  const idWidth = Math.min(38, Math.max(...statuses.map((s) => s.step.id.length)));
  return statuses
    .map((status) => {
      const mark = status.solved
        ? pc.green("✓")
        : status.problems.length > 0
          ? pc.red("✗")
          : pc.yellow("·");
      const count =
        status.problems.length > 0
          ? "  ✗ tsc"
          : `${status.passed}/${status.outcomes.length}`.padStart(7);
      const id =
        status.step.id.length > idWidth
          ? `${status.step.id.slice(0, idWidth - 1)}…`
          : status.step.id.padEnd(idWidth);
      const room = width - (2 + idWidth + 1 + 7 + 2);
      const title = status.step.entry.title;
      const shown = title.length > room ? `${title.slice(0, Math.max(0, room - 1))}…` : title;
      return `${mark} ${id} ${status.problems.length > 0 ? pc.red(count) : count}  ${pc.dim(shown)}`;
    })
    .join("\n");
}
