/**
 * A class of 30 fake submissions for measuring the grader (`tsx kata/grading/class-fixture.ts
 * <folder>`): untouched stubs, every step solved from the answer keys, partly solved, some steps
 * answered with a catalogued mistake, and hostile ones (a spec edited to pass, a runner that
 * SIGKILLs itself, a top-level await that never settles, a daemon, snooping for the answer keys
 * and the teacher's environment). Each is a student's copy: the workbook as committed, without
 * solutions/. Then grade them: `npm run grade -- --out <folder>/reports <folder>/s*`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { isMain } from "../command";
import { committedContents, committedFiles } from "../git";
import { isWithheld } from "../handout";
import { loadWorkbook, repoRoot, steps } from "../layout";
import { applyMistake, isPatch } from "../mistakes";

const HOSTILE: Record<string, (module: string) => string> = {
  sigkill: () => 'process.kill(process.pid, "SIGKILL");\nexport {};\n',
  hangs: () => "await new Promise(() => {});\nexport {};\n",
  daemon: () =>
    'import { spawn } from "node:child_process";\nspawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)"], { detached: true, stdio: "ignore" }).unref();\nexport {};\n',
  "snoops-answer-key": (module) =>
    `import { existsSync } from "node:fs";\nexport const leaked = [${JSON.stringify(join(repoRoot, "solutions"))}, new URL("../../../node_modules/../solutions/${module}", import.meta.url).pathname].some((p) => existsSync(p));\n`,
  "snoops-env": () => "export const leaked = Object.keys(process.env).length;\n",
  // The trick: a hook that marks every test of the run as passed.
  "forges-results": () =>
    'import { afterEach } from "vitest";\nafterEach((context) => {\n  const result = (context.task as { result?: { state: string; errors?: unknown[] } }).result;\n  if (result) {\n    result.state = "pass";\n    result.errors = [];\n  }\n});\nexport {};\n',
};

export async function makeClass(folder: string, size = 30): Promise<string[]> {
  const out = resolve(folder);
  rmSync(out, { recursive: true, force: true });
  const committed = committedFiles(repoRoot, "HEAD", ".").filter((p) => !isWithheld(p));
  const pristine = committedContents(repoRoot, "HEAD", committed);
  const all = steps(await loadWorkbook(repoRoot));
  const moduleOf = (i: number) => {
    const step = all[i];
    if (!step) throw new Error(`no step ${i}`);
    const module = basename(step.modules[0] ?? "");
    return { step, module, path: `exercises/${step.id}/${module}` };
  };
  const answer = (i: number) => {
    const { step, module } = moduleOf(i);
    return readFileSync(join(step.solutionDir, module));
  };
  /**
   * A mistake's module that stands alone (one that imports its answer key would not resolve
   * here); a patch is applied to its answer key, as a student would have written it.
   */
  const mistake = (i: number) => {
    const { step } = moduleOf(i);
    return step.mistakes
      .map((m) => (isPatch(m) ? applyMistake(m).text : readFileSync(m, "utf8")))
      .find((text) => !text.includes('from "../'));
  };
  const made: string[] = [];
  const submission = (name: string, edit: (files: Map<string, Buffer | string>) => void) => {
    const files = new Map<string, Buffer | string>(pristine);
    edit(files);
    const root = join(out, name);
    for (const [path, content] of files) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    made.push(root);
  };
  const solveUpTo = (files: Map<string, Buffer | string>, n: number) => {
    for (let i = 0; i < n; i++) files.set(moduleOf(i).path, answer(i));
  };
  const kinds: [string, (files: Map<string, Buffer | string>) => void][] = [];
  for (let i = 0; i < 5; i++) kinds.push([`untouched-${i + 1}`, () => {}]);
  for (let i = 0; i < 5; i++) kinds.push([`solved-${i + 1}`, (f) => solveUpTo(f, all.length)]);
  for (let i = 0; i < 10; i++) {
    const n = 3 + Math.round((i * (all.length - 6)) / 9);
    kinds.push([`partly-${n}-steps`, (f) => solveUpTo(f, n)]);
  }
  for (let i = 0; i < 3; i++) {
    kinds.push([
      `mistakes-${i + 1}`,
      (f) => {
        solveUpTo(f, all.length);
        for (let s = i; s < all.length; s += 3) {
          const wrong = mistake(s);
          if (wrong) f.set(moduleOf(s).path, wrong);
        }
      },
    ]);
  }
  kinds.push([
    "tampered-spec",
    (f) => {
      const { step } = moduleOf(0);
      const spec = `exercises/${step.id}/${basename(step.specs[0] ?? "")}`;
      f.set(spec, 'import { it } from "vitest";\nit("passes", () => {});\n');
    },
  ]);
  for (const [name, code] of Object.entries(HOSTILE)) {
    kinds.push([
      name,
      (f) => {
        solveUpTo(f, 10);
        const { path, module } = moduleOf(12);
        f.set(path, code(`${moduleOf(12).step.id}/${module}`));
      },
    ]);
  }
  for (const [index, [name, edit]] of kinds.slice(0, size).entries()) {
    submission(`s${String(index + 1).padStart(2, "0")}-${name}`, edit);
  }
  return made;
}

if (isMain(import.meta.url)) {
  const folder = process.argv[2];
  if (!folder) {
    process.stderr.write("Usage: tsx kata/grading/class-fixture.ts <folder> [size]\n");
    process.exitCode = 2;
  } else {
    const made = await makeClass(folder, Number(process.argv[3] ?? 30));
    process.stdout.write(`${made.length} submissions in ${folder}\n`);
  }
}
