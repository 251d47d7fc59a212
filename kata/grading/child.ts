/**
 * The runner of one graded submission, started by sandbox.ts inside the sandbox:
 * `node kata/grading/runner.mjs <area> <hang limit ms | -> [step,step,…]`, this module bundled
 * with the kata's tooling and the pristine catalog (area.ts), so that it starts without a
 * TypeScript loader. It reads a token from stdin, runs the runtime specs of the steps named
 * (default: every step) of the workbook in `<area>` through the kata's session, and prints the raw
 * outcomes on one line that starts with the token. It decides nothing: the grader, outside the
 * sandbox, builds the report from that line once every process of the sandbox is gone.
 */
import { relative, sep } from "node:path";
import { isMain } from "../command";
import { loadWorkbook, type PatternEntry, steps } from "../layout";
import { Session } from "../session";
import type { RawRun } from "./report";
import { RESULT_PREFIX } from "./sandbox";

async function readToken(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.trim();
}

/** Runs the area's steps; `catalog` is the pristine one, built into the runner (sandbox.ts). */
export async function main(catalog?: readonly PatternEntry[]): Promise<void> {
  const [area = process.cwd(), hang = "-", only] = process.argv.slice(2);
  const token = await readToken();
  const workbook = await loadWorkbook(area, catalog);
  const session = await Session.open({
    workbook,
    afterHang: "rerun",
    cache: false,
    // Types are checked outside the sandbox, by the grader's compiler (grade.ts).
    compile: false,
    // A fresh process per spec file: one step's patches cannot reach another's tests.
    isolate: true,
    hangLimitMs: hang === "-" ? undefined : Number(hang),
  });
  const named = only?.split(",");
  const run = await session.run(steps(workbook).filter((s) => !named || named.includes(s.id)));
  await session.close();
  const root = workbook.root;
  const local = (file: string) => relative(root, file).split(sep).join("/");
  const clean = (text: string) => text.replaceAll(`${root}${sep}`, "");
  const raw: RawRun = {
    outcomes: run.outcomes.map((o) => ({
      ...o,
      file: local(o.file),
      messages: o.messages.map(clean),
    })),
    errors: run.errors.map(clean),
    problems: run.problems.map((p) => ({ ...p, file: local(p.file) })),
    tampering: run.tampering.map((t) => ({ ...t, file: local(t.file) })),
  };
  process.stdout.write(`\n${RESULT_PREFIX} ${token} ${JSON.stringify(raw)}\n`, () =>
    process.exit(0),
  );
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(3);
  });
}
