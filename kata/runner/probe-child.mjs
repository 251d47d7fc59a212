// The probe's process (./probe.ts): puts a student's module through what vite's native code does
// to it in the runner (oxc's transform, then the parse of vite's SSR transform), and answers once
// it survived. Errors are the runner's to report: here only surviving matters. Plain JavaScript,
// so that it starts in a tenth of a second, without a TypeScript loader, in a sandbox too.
import { parseAst, parseAstAsync } from "rolldown/parseAst";
import { transformSync } from "rolldown/utils";

process.on("message", async ({ id, file, code, lang }) => {
  try {
    const { code: out, errors } = transformSync(file, code, { lang, sourcemap: true });
    // Both parses: the synchronous one on this thread's smaller stack, for a margin over the
    // runner's own thread; the asynchronous one on the same kind of thread as vite's.
    if (errors.length === 0) {
      parseAst(out);
      await parseAstAsync(out);
    }
  } catch {
    // A syntax error, a JavaScript stack overflow: the runner reports them as it always does.
  }
  process.send?.({ id });
});
