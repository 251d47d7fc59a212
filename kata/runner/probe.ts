/**
 * The runner's own process transforms the student's modules with vite, whose compiler (oxc) and
 * parser are native code. Nested a few thousand levels deep (brackets, operators, arrow
 * functions), a module overflows that code's stack, and the process dies of SIGSEGV, which no
 * `try` sees: no board would print. So a probe process of its own (./probe-child.mjs), with an
 * eighth less stack than the runner's, goes first: each student module's source through oxc's
 * transform before vite's, and its final code (whatever vite's options and plugins made of it)
 * through the parses of vite's SSR transform before vite's. A module that kills the probe, or
 * keeps it busy past a limit, fails to load with a plain reason, and only its step fails.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { extname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vitest/config";
import type { Workbook } from "../layout";
import { isStudentModule } from "./guard";
import { killTree } from "./pool";

const ENTRY = fileURLToPath(new URL("./probe-child.mjs", import.meta.url));
/** What vite's compiler transforms, and as which language (vite's own rule). */
const LANGUAGES: Readonly<Record<string, string>> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
};
/** Starts the probe with 7/8 of the stack the runner has (a margin for vite's deeper calls). */
const SMALLER_STACK =
  'limit=$(ulimit -s); [ "$limit" = unlimited ] || ulimit -s $((limit * 7 / 8)); exec "$0" "$@"';

interface Request {
  readonly file: string;
  readonly code: string;
  /** The source's language, for the transform; none for final code, which is parsed. */
  readonly lang: string | undefined;
  readonly answer: (refusal: string | undefined) => void;
}

export class TransformProbe {
  #child: ChildProcess | undefined;
  #queue: Request[] = [];
  #current: { request: Request; child: ChildProcess; timer: NodeJS.Timeout } | undefined;
  #closed = false;

  constructor(
    /** How long the compiler may take over one module, in ms: far more than any module needs. */
    readonly limitMs = 30_000,
  ) {
    this.#start();
  }

  #start(): ChildProcess {
    const [command, ...args] =
      process.platform !== "win32" && existsSync("/bin/sh")
        ? ["/bin/sh", "-c", SMALLER_STACK, process.execPath, ENTRY]
        : [process.execPath, ENTRY];
    const child = spawn(command as string, args, {
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      detached: process.platform !== "win32",
    });
    child.unref();
    child.channel?.unref();
    child.on("error", () => {});
    child.on("message", () => this.#answer(child, undefined));
    child.once("exit", (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      this.#answer(
        child,
        `vite's compiler (native code) crashed on this module (${signal ?? `exit code ${code}`}), as it does on ` +
          "code nested thousands of levels deep. Simplify the module",
      );
    });
    this.#child = child;
    return child;
  }

  /**
   * Why vite must not go on with this module (`undefined`: it may): its `source`, or its final
   * `output`. Modules are probed one at a time.
   */
  check(file: string, code: string, stage: "source" | "output"): Promise<string | undefined> {
    const lang = LANGUAGES[extname(file)];
    if (lang === undefined) return Promise.resolve(undefined);
    if (this.#closed) return Promise.resolve("the runner was closed");
    return new Promise((answer) => {
      this.#queue.push({ file, code, lang: stage === "source" ? lang : undefined, answer });
      this.#next();
    });
  }

  #next(): void {
    if (this.#current || this.#closed) return;
    const request = this.#queue.shift();
    if (!request) {
      this.#child?.channel?.unref();
      return;
    }
    const child = this.#child ?? this.#start();
    child.channel?.ref();
    const timer = setTimeout(() => {
      this.#child = undefined;
      killTree(child);
      this.#answer(
        child,
        `vite's compiler took more than ${this.limitMs / 1000} s over this module, so it was stopped`,
      );
    }, this.limitMs);
    this.#current = { request, child, timer };
    child.send({ file: request.file, code: request.code, lang: request.lang });
  }

  /** Answers the module being probed, if `child` is probing it. */
  #answer(child: ChildProcess, refusal: string | undefined): void {
    const current = this.#current;
    if (current?.child !== child) return;
    clearTimeout(current.timer);
    this.#current = undefined;
    current.request.answer(refusal);
    this.#next();
  }

  close(): void {
    this.#closed = true;
    for (const request of this.#queue.splice(0)) request.answer("the runner was closed");
    if (this.#current) this.#answer(this.#current.child, "the runner was closed");
    if (this.#child) killTree(this.#child);
    this.#child = undefined;
  }
}

/** Vite transforms a student module, then parses it, only after the probe survived each. */
export function probePlugins(workbook: Workbook, probe: TransformProbe): Plugin[] {
  const stage = (enforce: "pre" | "post", what: "source" | "output"): Plugin => ({
    name: `kata-probe-${what}`,
    enforce,
    async transform(code, id) {
      const file = id.split("?")[0] ?? id;
      if (!isStudentModule(workbook, file)) return null;
      const refusal = await probe.check(file, code, what);
      if (refusal) throw new Error(`${relative(workbook.root, file)}: ${refusal}.`);
      return null;
    },
  });
  return [stage("pre", "source"), stage("post", "output")];
}
