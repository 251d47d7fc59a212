/**
 * The compiler's process (./compiler.ts): serves type-level specs and compile checks over IPC.
 * TypeScript never runs the code it checks, but a pathological type can keep it busy for minutes:
 * in a process of its own, the runner can stop it like any test process.
 */
import { serve } from "../compile";
import { checkJobs } from "../typecheck";
import type { CompilerRequest } from "./compiler";

process.on("message", (message: { id: number; request: CompilerRequest }) => {
  const { id, request } = message;
  try {
    const reply =
      request.kind === "compile" ? serve(request.compile) : { outcomes: checkJobs(request.jobs) };
    process.send?.({ id, reply });
  } catch (error) {
    process.send?.({ id, error: String((error as Error)?.stack ?? error) });
  }
});
process.send?.({ ready: true });
