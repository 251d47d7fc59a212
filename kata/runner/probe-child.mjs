// The probe's process (./probe.ts): puts a student's module through what vite's native code does
// to it in the runner, and answers once it survived. A module's source goes through oxc's
// transform; its final code (after every plugin) through both parses of vite's SSR transform.
// Errors are the runner's to report: here only surviving matters. Plain JavaScript, so that it
// starts in a tenth of a second, without a TypeScript loader, in a sandbox too.
import { parseAst, parseAstAsync } from "rolldown/parseAst";
import { transformSync } from "rolldown/utils";

process.on("message", async ({ file, code, lang }) => {
  try {
    if (lang) transformSync(file, code, { lang, sourcemap: true });
    else {
      // The synchronous parse on this thread's smaller stack, for a margin over the runner's;
      // the asynchronous one on the same kind of thread as vite's.
      parseAst(code);
      await parseAstAsync(code);
    }
  } catch {
    // A syntax error, a JavaScript stack overflow: the runner reports them as it always does.
  }
  process.send?.({});
});
