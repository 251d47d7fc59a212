/**
 * The compiler in a child process of its own (./compiler-child.ts), kept for as many requests as
 * a session needs: type-level specs through the compiler (against the student's work, or against
 * any target for verify), and whether the student's modules compile. Loading TypeScript takes
 * about 0.6 s; the child pays it once, on the second core, while vitest starts on the first. A
 * request that outlives its limit kills the process; the next request starts a new one.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CompileReply, CompileRequest } from "../compile";
import type { TestOutcome } from "../outcome";
import type { TypeJob } from "../typecheck";
import { killTree } from "./pool";

export type CompilerRequest =
  | { readonly kind: "compile"; readonly compile: CompileRequest }
  | { readonly kind: "typecheck"; readonly jobs: readonly TypeJob[] };

interface Pending {
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** The compiler ran past its limit and was stopped. */
export class CompilerTimeout extends Error {
  override name = "CompilerTimeout";
}

const ENTRY = fileURLToPath(new URL("./compiler-child.ts", import.meta.url));
const LAUNCH = fileURLToPath(new URL("../launch.mjs", import.meta.url));

export class CompilerProcess {
  #child: ChildProcess | undefined;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #closed = false;

  constructor(
    /** How long one request may take, in ms. */
    readonly limitMs = 120_000,
  ) {
    this.#start();
  }

  #start(): ChildProcess {
    const child = fork(LAUNCH, [ENTRY], {
      execArgv: [],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      detached: process.platform !== "win32",
    });
    child.unref();
    child.channel?.unref();
    child.on("message", (message: { id?: number; reply?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) child.channel?.unref();
      if (!pending) return;
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new Error(`the compiler failed: ${message.error}`));
      else pending.resolve(message.reply);
    });
    child.on("error", () => {});
    child.once("exit", (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      this.#failAll(new Error(`the compiler's process ended (${signal ?? code})`));
    });
    this.#child = child;
    return child;
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  #request<T>(request: CompilerRequest): Promise<T> {
    if (this.#closed) return Promise.reject(new Error("the compiler was closed"));
    const child = this.#child ?? this.#start();
    const id = this.#next++;
    child.channel?.ref();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        killTree(child);
        this.#failAll(
          new CompilerTimeout(
            `the compiler took more than ${this.limitMs / 1000} s, so it was stopped`,
          ),
        );
      }, this.limitMs);
      timer.unref();
      this.#pending.set(id, { resolve: resolve as (reply: unknown) => void, reject, timer });
      child.send({ id, request });
    });
  }

  /** Type specs and compile problems of the student's modules; an empty request costs nothing. */
  compile(request: CompileRequest): Promise<CompileReply> {
    if (request.typeSpecs.length === 0 && request.modules.length === 0) {
      return Promise.resolve({ outcomes: [], problems: [], tampering: [] });
    }
    return this.#request({ kind: "compile", compile: request });
  }

  /** Type specs against targets (verify). */
  async typecheck(jobs: readonly TypeJob[]): Promise<TestOutcome[]> {
    if (jobs.every((job) => job.files.length === 0)) return [];
    const reply = await this.#request<{ outcomes: TestOutcome[] }>({ kind: "typecheck", jobs });
    return reply.outcomes;
  }

  close(): void {
    this.#closed = true;
    this.#failAll(new Error("the compiler was closed"));
    if (this.#child) killTree(this.#child);
    this.#child = undefined;
  }
}
