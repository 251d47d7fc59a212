/**
 * Runs the type-level specs in a worker thread. Loading the TypeScript compiler alone takes about
 * 0.6 s; in a worker that happens on the second core while vitest runs the runtime specs.
 */
import { Worker } from "node:worker_threads";
import type { TestOutcome } from "./outcome";
import type { TypeJob } from "./typecheck";

// The worker registers tsx itself: a worker's entry is loaded before inherited `--import` hooks.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
import("tsx/esm/api")
  .then((tsx) => { tsx.register(); return import(workerData.module); })
  .then((m) => parentPort.postMessage({ outcomes: m.checkJobs(workerData.jobs) }))
  .catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

export function checkTypesInThread(jobs: readonly TypeJob[]): Promise<TestOutcome[]> {
  if (jobs.every((job) => job.files.length === 0)) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: new URL("./typecheck.ts", import.meta.url).href, jobs },
    });
    worker.once("message", (reply: { outcomes?: TestOutcome[]; error?: string }) => {
      void worker.terminate();
      if (reply.outcomes) resolve(reply.outcomes);
      else reject(new Error(`type-level specs could not run: ${reply.error}`));
    });
    worker.once("error", reject);
  });
}
