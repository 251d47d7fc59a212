/**
 * A long-lived worker thread for the compiler's side of kata runs (compile.ts): type-level specs
 * and stubs that do not compile. Loading TypeScript takes about 0.6 s; the worker pays it once, on
 * the second core, while vitest starts on the first, and keeps it for every rerun in watch mode.
 */
import { Worker } from "node:worker_threads";
import type { CompileReply, CompileRequest } from "./compile";

// The worker registers tsx itself: a worker's entry is loaded before inherited `--import` hooks.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const ready = import("tsx/esm/api").then((tsx) => { tsx.register(); return import(workerData.module); });
parentPort.on("message", ({ id, request }) => {
  ready
    .then((m) => parentPort.postMessage({ id, reply: m.serve(request) }))
    .catch((error) => parentPort.postMessage({ id, error: String((error && error.stack) || error) }));
});
`;

interface Pending {
  readonly resolve: (reply: CompileReply) => void;
  readonly reject: (error: Error) => void;
}

export class CompileThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failure: Error | undefined;

  constructor() {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: new URL("./compile.ts", import.meta.url).href },
    });
    this.#worker.unref();
    this.#worker.on("message", (message: { id: number; reply?: CompileReply; error?: string }) => {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (message.reply) pending?.resolve(message.reply);
      else pending?.reject(new Error(`the compiler worker failed: ${message.error}`));
    });
    const fail = (error: Error) => {
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`the compiler worker exited (${code})`)));
  }

  /** Checks type specs and modules; an empty request costs nothing. */
  request(request: CompileRequest): Promise<CompileReply> {
    if (request.typeSpecs.length === 0 && request.modules.length === 0) {
      return Promise.resolve({ outcomes: [], problems: [] });
    }
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    this.#failure ??= new Error("the compiler worker was closed");
    await this.#worker.terminate();
  }
}
