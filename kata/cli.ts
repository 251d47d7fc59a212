/**
 * The student's command line.
 *
 *   npm test [-- <filter>…]              run the kata once and print the board
 *   npm run kata [-- <filter>…]          watch mode: rerun the step at every save (watch.ts)
 *   npm run kata -- --manual             watch mode without file watching: r or Enter reruns
 *   npm run kata -- --poll               watch mode that polls the files (network drives, WSL)
 *   npm run kata -- list                 every step with its status
 *   npm run kata -- hint <step> [n]      the first n hints of a step (default 1)
 *   npm run kata -- reset <step> [--yes] put the step back as committed (asks first)
 *   npm run kata -- solution <step>      the answer key, once the step is solved
 *   npm run kata -- approaches <step>    other correct answers and their trade-offs, once solved
 *
 * A filter is a pattern (`singleton`), a step (`singleton/02-lazy`) or a folder name (`02-lazy`).
 * `--workbook <folder>` runs on another workbook (the runner's own specs use fixtures).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { renderBoard, renderList, type StepStatus, stepLogs, stepStatuses, wrap } from "./board";
import { isMain, isUserError, UsageError } from "./command";
import { committedContents, committedFiles, GitError } from "./git";
import {
  loadWorkbook,
  noStepMatches,
  rel,
  type Step,
  selectSteps,
  steps,
  type Workbook,
} from "./layout";
import { type Fingerprints, studentFingerprints } from "./mistakes";
import { Session } from "./session";

export { UsageError };

const HELP = `Usage: npm run kata -- <command>

  (none) [filter…]      watch mode: reruns the step you are on at every save
  --manual              watch mode without file watching: press r or Enter to rerun
  --poll                watch mode that polls the files (network drives, WSL)
  list [filter…]        every step and its status
  hint <step> [n]       the first n hints of a step (default 1)
  reset <step> [--yes]  put a step's files back as committed (asks first)
  solution <step>       the answer key, once the step is solved
  approaches <step>     other correct answers and their trade-offs, once the step is solved
  help                  this (also --help)

Watch mode keys: h hint · n/p next/prev step · r rerun · a rerun all · l list · q quit

npm test [-- filter…] runs the kata once and prints the board.
A filter is a pattern (singleton), a step (singleton/02) or part of a step's id.`;

/** Where the command line reads and writes: the process's own streams by default. */
export interface CliIO {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
}

const OPTIONS = {
  workbook: { type: "string" },
  manual: { type: "boolean", default: false },
  poll: { type: "boolean", default: false },
  yes: { type: "boolean", short: "y", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The options and commands of `argv`; a bad option is our UsageError with the usage, not parseArgs' text. */
function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    if (!(error instanceof Error) || !("code" in error)) throw error;
    const option = /'([^']+)'/.exec(error.message)?.[1]?.split(/[ ,]/)[0];
    const why =
      error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? `Unknown option ${option ? `"${option}"` : ""}.`
        : error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
          ? `The option ${option ? `"${option}" ` : ""}is not given the way it takes.`
          : "That command line cannot be read.";
    throw new UsageError(`${why.replace(" .", ".")}\n\n${HELP}`);
  }
}

/** Columns for the board: the terminal's, within reason (a pipe says none: 80). */
export const boardWidth = (columns: number | undefined): number =>
  Math.min(Math.max(columns || 80, 32), 100);

/** Runs the command line `argv` (without node and the script); resolves with its exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIO = { stdin: process.stdin, stdout: process.stdout },
  /** A session already open on the same workbook, to run in (it stays open). */
  session?: Session,
): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  const workbook = await loadWorkbook(values.workbook);
  const cli = new Cli(
    workbook,
    values.manual === true,
    values.yes === true,
    io,
    session,
    values.poll === true,
  );
  if (values.help) {
    cli.out(HELP);
    return 0;
  }
  return cli.main(positionals);
}

class Cli {
  readonly width: number;

  constructor(
    readonly workbook: Workbook,
    readonly manual: boolean,
    readonly yes: boolean,
    readonly io: CliIO,
    readonly session?: Session,
    readonly poll = false,
  ) {
    this.width = boardWidth(io.stdout.columns);
  }

  out(text = ""): void {
    this.io.stdout.write(`${text}\n`);
  }

  #prints: Fingerprints | undefined;

  /** The workbook's fingerprints, read once; a file that cannot be read is said, not fatal. */
  get fingerprints(): Fingerprints {
    this.#prints ??= studentFingerprints(this.workbook.root, (m) => this.out(pc.yellow(m)));
    return this.#prints;
  }

  async main(args: readonly string[]): Promise<number> {
    const [command, ...rest] = args;
    switch (command) {
      case undefined:
        return this.watch([]);
      case "test":
        return this.test(rest);
      case "watch":
        return this.watch(rest);
      case "list":
        return this.list(rest);
      case "hint":
        return this.hint(rest);
      case "reset":
        return this.reset(rest);
      case "solution":
        return this.solution(rest);
      case "approaches":
        return this.approaches(rest);
      case "help":
        this.out(HELP);
        return 0;
      default:
        // `npm run kata -- singleton` watches one pattern.
        if (selectSteps(steps(this.workbook), [command]).length > 0) return this.watch(args);
        throw new UsageError(`Unknown command "${command}".\n\n${HELP}`);
    }
  }

  pick(filters: readonly string[]): Step[] {
    const all = steps(this.workbook);
    const chosen = selectSteps(all, filters);
    if (chosen.length === 0) {
      throw new UsageError(noStepMatches(all, filters));
    }
    return chosen;
  }

  pickOne(command: string, filter: string | undefined): Step {
    if (!filter) {
      throw new UsageError(`Which step? For example: npm run kata -- ${command} singleton/01`);
    }
    const chosen = this.pick([filter]);
    const exact = chosen.find((s) => s.id === filter);
    if (chosen.length > 1 && !exact) {
      const some = chosen.slice(0, 3).map((s) => s.id);
      throw new UsageError(
        `"${filter}" names ${chosen.length} steps (${some.join(", ")}${chosen.length > 3 ? ", …" : ""}); give more of its id.`,
      );
    }
    return exact ?? (chosen[0] as Step);
  }

  /** Runs the steps once, in a session opened and closed around the run (unless given one). */
  async runOnce(chosen: readonly Step[]) {
    const session =
      this.session ??
      (await Session.open({
        workbook: this.workbook,
        fingerprints: this.fingerprints,
      }));
    try {
      const run = await session.run(chosen);
      return { run, statuses: stepStatuses(chosen, run.outcomes, run.problems) };
    } finally {
      if (session !== this.session) await session.close();
    }
  }

  async test(filters: readonly string[]): Promise<number> {
    const chosen = this.pick(filters);
    const { run, statuses } = await this.runOnce(chosen);
    const focus = statuses.find((s) => !s.solved)?.step;
    this.out(
      renderBoard(statuses, run.errors, {
        root: this.workbook.root,
        width: this.width,
        logs: stepLogs(focus, run.logs),
        total: steps(this.workbook).length,
        fingerprints: this.fingerprints,
      }),
    );
    return statuses.every((s) => s.solved) && run.errors.length === 0 ? 0 : 1;
  }

  async list(filters: readonly string[]): Promise<number> {
    const { statuses } = await this.runOnce(this.pick(filters));
    const solved = statuses.filter((s) => s.solved).length;
    this.out(`\n${renderList(statuses, this.width)}\n`);
    this.out(pc.dim(`${solved}/${statuses.length} steps solved`));
    return 0;
  }

  hint([filter, count = "1"]: readonly string[]): number {
    const step = this.pickOne("hint", filter);
    const hints = step.entry.hints;
    const asked = Math.max(1, Number.parseInt(count, 10) || 1);
    const shown = Math.min(asked, hints.length);
    this.out(`\n${pc.bold(step.entry.title)} ${pc.dim(`(${step.id})`)}\n`);
    if (asked > hints.length) {
      const all = hints.length === 1 ? "is its only hint" : `are all ${hints.length} of them`;
      this.out(
        pc.yellow(
          `  ${step.id} has ${hints.length} hint${hints.length === 1 ? "" : "s"}, not ${asked}: here ${all}.\n`,
        ),
      );
    }
    hints.slice(0, shown).forEach((h, i) => {
      this.out(`${wrap(h, this.width, "    ", `  Hint ${i + 1}/${hints.length}: `).join("\n")}\n`);
    });
    if (shown < hints.length) {
      this.out(pc.dim(`  More: npm run kata -- hint ${step.id} ${shown + 1}`));
    }
    this.out(pc.dim(`  Instructions: ${rel(step.readme, this.workbook.root)}`));
    return 0;
  }

  /** Asks a yes/no question; anything but y or yes (or no answer at all) means no. */
  async confirm(question: string): Promise<boolean> {
    const rl = createInterface({ input: this.io.stdin, output: this.io.stdout, terminal: false });
    try {
      this.io.stdout.write(question);
      const answer = await new Promise<string>((resolve) => {
        rl.once("line", resolve);
        rl.once("close", () => resolve(""));
      });
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }

  async reset([filter]: readonly string[]): Promise<number> {
    const { workbook } = this;
    const step = this.pickOne("reset", filter);
    const dir = rel(step.exerciseDir, workbook.root);
    let committed: Map<string, Buffer>;
    try {
      const files = committedFiles(workbook.root, "HEAD", dir);
      committed = committedContents(workbook.root, "HEAD", files);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      this.out(pc.red(`Cannot reset ${step.id}: its committed version is not available.`));
      this.out(`  ${error.message}`);
      this.out("  reset needs the workbook's git history (a clone, not a copy of its files).");
      return 1;
    }
    if (committed.size === 0) {
      this.out(pc.red(`Cannot reset ${step.id}: git has no committed files in ${dir}/ at HEAD.`));
      return 1;
    }
    // Only the files that differ are written: an unchanged spec is never touched.
    const changed = [...committed].filter(([path, content]) => {
      const file = join(workbook.root, path);
      return !existsSync(file) || !readFileSync(file).equals(content);
    });
    if (changed.length === 0) {
      this.out(`${step.id} is already as committed: nothing to reset.`);
      return 0;
    }
    this.out(`Reset ${pc.bold(step.id)} to its committed version (HEAD)?`);
    this.out("This discards your changes to:");
    for (const [path] of changed) this.out(`  ${path}`);
    if (!this.yes && !(await this.confirm("Reset? [y/N] "))) {
      this.out("Nothing was changed.");
      return 1;
    }
    for (const [path, content] of changed) writeFileSync(join(workbook.root, path), content);
    this.out(pc.green(`Reset ${changed.length} file${changed.length === 1 ? "" : "s"}.`));
    return 0;
  }

  async solution([filter]: readonly string[]): Promise<number> {
    const { workbook } = this;
    const step = this.pickOne("solution", filter);
    const keys = step.modules.map((m) => join(step.solutionDir, relative(step.exerciseDir, m)));
    if (keys.length === 0 || !keys.every((k) => existsSync(k))) {
      this.out(`This copy of the workbook has no answer key for ${step.id} (no solutions/).`);
      return 1;
    }
    const { statuses } = await this.runOnce([step]);
    const status = statuses[0] as StepStatus;
    if (!status.solved) {
      const why =
        status.problems.length > 0
          ? "it does not compile yet"
          : `${status.passed} of ${status.outcomes.length} tests pass`;
      this.out(`The answer key of ${step.id} opens once the step is solved: ${why}.`);
      this.out(pc.dim(`  Stuck? npm run kata -- hint ${step.id}`));
      return 1;
    }
    for (const key of keys) {
      this.out(pc.bold(`\n── ${rel(key, workbook.root)} ──\n`));
      this.out(readFileSync(key, "utf8"));
    }
    const lesson = join(workbook.patternsDir, step.pattern.id, "README.md");
    if (existsSync(lesson)) {
      this.out(
        pc.dim(`Compare it with yours, then read the lesson: ${rel(lesson, workbook.root)}`),
      );
    }
    return 0;
  }

  async approaches([filter]: readonly string[]): Promise<number> {
    const step = this.pickOne("approaches", filter);
    const { showApproaches } = await import("./approaches");
    return showApproaches(step, this.workbook, {
      width: this.width,
      out: (text) => this.out(text),
      solved: async () => (await this.runOnce([step])).statuses[0] as StepStatus,
    });
  }

  async watch(filters: readonly string[]): Promise<number> {
    const { watchKata } = await import("./watch");
    return watchKata({
      workbook: this.workbook,
      steps: this.pick(filters),
      manual: this.manual,
      poll: this.poll,
      input: this.io.stdin,
      output: this.io.stdout,
    });
  }
}

if (isMain(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = isUserError(error)
        ? error.message
        : error instanceof Error
          ? error.stack
          : String(error);
      process.stderr.write(`${message}\n`);
      process.exitCode = 2;
    },
  );
}
