/**
 * Watch mode (`npm run kata`): the board for the step you are on, rerun at every save. One
 * session (one vitest instance and one compiler worker) lives as long as watch mode does, so a
 * rerun costs a few hundred milliseconds, not a cold start.
 *
 * A save in a step folder reruns that step; the board then shows that step, or, once it is green,
 * moves on to the next unsolved one. Keys: h one more hint, n/p next/previous step, r (or Enter)
 * rerun, a rerun every step, l list the steps, q quit. Without a terminal (a pipe), keys are read
 * a line at a time.
 *
 * Files are watched with chokidar, which watches each folder rather than each file: a save that
 * replaces the file (written to a temporary file and renamed over it, as `sed -i`, JetBrains'
 * "safe write" and some vim settings do) reruns the step like an in-place write, and so does every
 * later save. (Node 20's recursive `fs.watch` on Linux stops reporting a file once it has been
 * replaced.) Polling mode (`--poll`, and automatically on a Windows drive under WSL, where no file
 * event arrives) checks the files every half second instead: network drives, WSL. Manual mode
 * (`--manual`, and when the watcher fails) reruns only on r or Enter.
 */

import { release } from "node:os";
import { resolve, sep } from "node:path";
import { createInterface } from "node:readline";
import { isMainThread } from "node:worker_threads";
import { type FSWatcher, watch as watchFiles } from "chokidar";
import pc from "picocolors";
import { renderBoard, renderList, type StepStatus, stepLogs, stepStatuses, wrap } from "./board";
import { type Step, steps, type Workbook } from "./layout";
import { type Fingerprints, studentFingerprints } from "./mistakes";
import { Session } from "./session";

export interface WatchOptions {
  readonly workbook: Workbook;
  /** The steps to watch, in catalog order. */
  readonly steps: readonly Step[];
  readonly manual?: boolean;
  /** Poll the files instead of waiting for the system's file events (network drives, WSL). */
  readonly poll?: boolean;
  readonly input?: NodeJS.ReadStream;
  readonly output?: NodeJS.WriteStream;
}

const KEYS = "h hint · n/p next/prev step · r rerun · a rerun all · l list · q quit";
/** Editors save in bursts (write, rename, chmod): wait this long for the burst to end. */
const SETTLE_MS = 30;

/** How often polling mode looks at the files. */
const POLL_MS = 500;

/** Is this a Windows folder seen from WSL, where Linux file events never arrive? */
const onWslWindowsDrive = (root: string): boolean =>
  /microsoft/i.test(release()) && /^\/mnt\/[a-z]\//.test(root);

export function watchKata(options: WatchOptions): Promise<number> {
  return new Watch(options).start();
}

class Watch {
  readonly #workbook: Workbook;
  readonly #steps: readonly Step[];
  readonly #in: NodeJS.ReadStream;
  readonly #out: NodeJS.WriteStream;
  #manual: boolean;
  #poll: boolean;
  #session: Session | undefined;
  #watcher: FSWatcher | undefined;
  #statuses = new Map<Step, StepStatus>();
  #logs = new Map<string, readonly string[]>();
  #errors: string[] = [];
  #focus: Step | undefined;
  #hints = 0;
  #listing = false;
  /** A line or two under the board (wrapped to the width when drawn), until the next key or run. */
  #notice: { readonly text: string; readonly color: (text: string) => string } | undefined;
  #lastRunMs = 0;
  /** Steps waiting for a run, and whether a save (rather than a key) asked for it. */
  #pending = new Map<Step, "save" | "key">();
  #busy = false;
  #quitting = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #finish: ((code: number) => void) | undefined;
  #cleanups: (() => void)[] = [];
  /** Steps in the whole kata (the board says so when watching fewer). */
  readonly #total: number;
  /** The catalogued mistakes' fingerprints, to name the misconception a failure shows. */
  readonly #fingerprints: Fingerprints;

  constructor(options: WatchOptions) {
    this.#workbook = options.workbook;
    this.#steps = options.steps;
    this.#in = options.input ?? process.stdin;
    this.#out = options.output ?? process.stdout;
    this.#manual = options.manual ?? false;
    this.#poll = options.poll ?? false;
    this.#total = steps(options.workbook).length;
    this.#fingerprints = studentFingerprints(options.workbook.root, (m) =>
      this.#out.write(`${pc.yellow(m)}\n`),
    );
  }

  get #width(): number {
    return Math.min(Math.max(this.#out.columns || 80, 32), 100);
  }

  async start(): Promise<number> {
    const done = new Promise<number>((resolve) => {
      this.#finish = resolve;
    });
    this.#out.write(pc.dim(`Starting the kata on ${this.#steps.length} steps…\n`));
    this.#session = await Session.open({
      workbook: this.#workbook,
      fingerprints: this.#fingerprints,
    });
    this.#listenToKeys();
    await this.#run(this.#steps, "start");
    if (this.#quitting) return done; // q during the first run
    await this.#watch();
    this.#draw();
    return done;
  }

  /** Starts watching exercises/; resolves once the watcher has seen every file. */
  async #watch(): Promise<void> {
    if (!this.#manual && !this.#poll && onWslWindowsDrive(this.#workbook.root)) {
      this.#poll = true;
      this.#say(
        "File events do not reach WSL from a Windows drive: polling for changes.",
        pc.yellow,
      );
    }
    if (this.#manual) return;
    try {
      const watcher = watchFiles(this.#workbook.exercisesDir, {
        ignoreInitial: true,
        usePolling: this.#poll,
        interval: POLL_MS,
        // Only what a save can touch: folders to descend, and TypeScript files.
        ignored: (path, stats) => stats?.isFile() === true && !path.endsWith(".ts"),
      });
      this.#watcher = watcher;
      watcher.on("all", (_event, path) =>
        this.#changed(resolve(this.#workbook.exercisesDir, path)),
      );
      watcher.on("error", (error) => this.#fallBack(error));
      await new Promise<void>((ready) => {
        watcher.once("ready", ready);
        // A watcher that never gets ready must not keep the board from showing.
        setTimeout(ready, 5_000).unref();
      });
    } catch (error) {
      this.#fallBack(error);
    }
  }

  #fallBack(error: unknown): void {
    void this.#watcher?.close();
    this.#watcher = undefined;
    this.#manual = true;
    const why = error instanceof Error ? error.message : String(error);
    this.#say(`File watching failed (${why}): manual mode.`, pc.yellow);
    this.#draw();
  }

  /** A file changed: rerun the step it belongs to, once the editor is done saving. */
  #changed(file: string): void {
    if (!file.endsWith(".ts")) return;
    const step = this.#steps.find((s) => file.startsWith(s.exerciseDir + sep));
    if (!step) return;
    this.#pending.set(step, "save");
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#kick(), SETTLE_MS);
  }

  /** Runs what is pending, one run at a time, redrawing after each. */
  async #kick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (this.#pending.size > 0 && !this.#quitting) {
        const batch = this.#steps.filter((s) => this.#pending.has(s));
        const why = batch.some((s) => this.#pending.get(s) === "save") ? "save" : "key";
        this.#pending.clear();
        await this.#run(batch, why);
        if (!this.#quitting) this.#draw();
      }
    } finally {
      this.#busy = false;
    }
  }

  async #run(batch: readonly Step[], why: "start" | "save" | "key"): Promise<void> {
    const session = this.#session;
    if (!session || batch.length === 0) return;
    const started = performance.now();
    let release = () => {};
    this.#running = new Promise((resolve) => {
      release = resolve;
    });
    if (why !== "start") this.#notice = undefined;
    try {
      const before = new Map(batch.map((s) => [s, this.#statuses.get(s)?.solved ?? false]));
      const run = await session.run(batch);
      for (const status of stepStatuses(batch, run.outcomes, run.problems)) {
        this.#statuses.set(status.step, status);
      }
      for (const step of batch) {
        for (const file of step.specs) this.#logs.set(file, run.logs.get(file) ?? []);
      }
      this.#errors = run.errors;
      this.#refocus(batch, before, why);
    } catch (error) {
      this.#errors = [error instanceof Error ? error.message : String(error)];
    } finally {
      this.#lastRunMs = performance.now() - started;
      this.#running = undefined;
      release();
    }
  }

  /** Where the board looks after a run: the edited step, or the next one once it is green. */
  #refocus(batch: readonly Step[], before: Map<Step, boolean>, why: string): void {
    const firstUnsolved = (from = 0) =>
      this.#steps.slice(from).find((s) => !this.#statuses.get(s)?.solved) ??
      this.#steps.find((s) => !this.#statuses.get(s)?.solved);
    if (why === "start" || !this.#focus) {
      this.#setFocus(firstUnsolved());
      return;
    }
    const solvedNow = batch.filter((s) => !before.get(s) && this.#statuses.get(s)?.solved);
    const edited = batch.length === 1 ? batch[0] : undefined;
    const justSolved = solvedNow.find((s) => s === this.#focus) ?? solvedNow[0];
    if (justSolved) {
      const next = firstUnsolved(this.#steps.indexOf(justSolved) + 1);
      this.#setFocus(next);
      this.#say(
        `✓ ${justSolved.entry.title} is solved!` +
          (next ? ` On to ${next.entry.title}.` : " That was the last step.") +
          ` Its answer key: npm run kata -- solution ${justSolved.id}`,
        pc.green,
      );
    } else if (why === "save" && edited && !this.#statuses.get(edited)?.solved) {
      if (edited !== this.#focus) this.#setFocus(edited);
    }
  }

  #say(text: string, color: (text: string) => string): void {
    this.#notice = { text, color };
  }

  #setFocus(step: Step | undefined): void {
    if (step !== this.#focus) this.#hints = 0;
    this.#focus = step;
  }

  #listenToKeys(): void {
    const input = this.#in;
    if (input.isTTY) {
      input.setRawMode(true);
      input.setEncoding("utf8");
      const onData = (data: string) => {
        for (const key of data) this.#key(key);
      };
      input.on("data", onData);
      input.resume();
      this.#out.write("\u001b[?25l"); // hide the cursor while the board is up
      const onResize = () => this.#draw();
      this.#out.on("resize", onResize);
      this.#cleanups.push(() => {
        this.#out.off("resize", onResize);
        input.off("data", onData);
        input.setRawMode(false);
        input.pause();
        this.#out.write("\u001b[?25h");
      });
    } else {
      const lines = createInterface({ input, terminal: false });
      lines.on("line", (line) => this.#key(line.trim()[0] ?? "\r"));
      this.#cleanups.push(() => lines.close());
    }
    if (!isMainThread) return; // signals reach only the main thread
    const onSignal = () => void this.#quit();
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    this.#cleanups.push(() => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    });
  }

  #key(key: string): void {
    const wasListing = this.#listing;
    this.#listing = false;
    this.#notice = undefined;
    switch (key.toLowerCase()) {
      case "q":
      case "\u0003": // Ctrl-C in raw mode
      case "\u0004": // Ctrl-D
        void this.#quit();
        return;
      case "h":
        this.#hint();
        break;
      case "n":
      case "p":
        this.#move(key.toLowerCase() === "n" ? 1 : -1);
        break;
      case "l":
        this.#listing = !wasListing;
        break;
      case "r":
      case "\r":
      case "\n":
        if (this.#focus) this.#rerun([this.#focus]);
        return;
      case "a":
        this.#rerun(this.#steps);
        return;
      default:
        if (!wasListing) this.#say(`Keys: ${KEYS}`, pc.dim);
    }
    this.#draw();
  }

  #hint(): void {
    const step = this.#focus;
    if (!step) return;
    const total = step.entry.hints.length;
    if (this.#hints >= total) {
      this.#say(
        `That was the last hint (${total} of ${total}). Reread the instructions?`,
        pc.yellow,
      );
    } else {
      this.#hints++;
    }
  }

  #move(by: number): void {
    const index = this.#focus ? this.#steps.indexOf(this.#focus) : -1;
    const next = this.#steps[index + by];
    if (next) this.#setFocus(next);
    else this.#say(by > 0 ? "This is the last step." : "This is the first step.", pc.yellow);
  }

  #rerun(batch: readonly Step[]): void {
    for (const step of batch) if (!this.#pending.has(step)) this.#pending.set(step, "key");
    this.#draw(`Running ${batch.length === 1 ? batch[0]?.id : `${batch.length} steps`}…`);
    void this.#kick();
  }

  #draw(status?: string): void {
    const width = this.#width;
    const statuses = this.#steps.flatMap((s) => this.#statuses.get(s) ?? []);
    const body = this.#listing
      ? `\n${pc.bold("Steps")}\n\n${renderList(statuses, width)}\n\n${pc.dim("Any key goes back to the board.")}\n`
      : renderBoard(statuses, this.#errors, {
          focus: this.#focus,
          hints: this.#hints,
          logs: stepLogs(this.#focus, this.#logs),
          root: this.#workbook.root,
          width,
          mode: "watch",
          total: this.#total,
          fingerprints: this.#fingerprints,
        });
    const state =
      status ??
      (this.#manual
        ? `Manual mode: save, then press r (or Enter) · last run ${Math.round(this.#lastRunMs)} ms`
        : `Watching for changes${this.#poll ? " (polling)" : ""} · last run ${Math.round(this.#lastRunMs)} ms`);
    const notice = this.#notice
      ? wrap(this.#notice.text, width).map(this.#notice.color).join("\n")
      : "";
    const screen = [body, notice, pc.dim(state), pc.dim(KEYS)].filter((l) => l !== "");
    const clear = this.#out.isTTY ? "\u001b[2J\u001b[3J\u001b[H" : `\n${"─".repeat(width)}\n`;
    this.#out.write(`${clear}${screen.join("\n")}\n`);
  }

  async #quit(): Promise<void> {
    if (this.#quitting) return;
    this.#quitting = true;
    clearTimeout(this.#timer);
    await this.#watcher?.close();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    // Whatever the run in progress is waiting for (a hostile stub), its processes stop now.
    this.#session?.abort();
    await this.#running;
    await this.#session?.close();
    const solved = [...this.#statuses.values()].filter((s) => s.solved).length;
    this.#out.write(`${solved}/${this.#steps.length} steps solved. See you soon!\n`);
    this.#finish?.(0);
  }
}
