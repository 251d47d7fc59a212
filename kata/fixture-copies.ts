/**
 * Throw-away copies of the fixture workbooks for the runner's own specs. Copies live in
 * `kata/fixtures/.run-*` (ignored by git, Biome and tsc), where `node_modules` still resolves,
 * and are removed by `removeCopies()`.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "./layout";

const fixtures = join(repoRoot, "kata", "fixtures");
const made: string[] = [];

/** A fresh copy of `kata/fixtures/<from>`, named after `label`. */
export function fixtureCopy(label: string, from = "classroom"): string {
  const root = join(fixtures, `.run-${label}-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  cpSync(join(fixtures, from), root, { recursive: true });
  made.push(root);
  return root;
}

/** Removes every copy made so far. */
export function removeCopies(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** Writes `text` to `path` under `root`, making folders as needed. */
export function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/**
 * Gives a copy of the classroom fixture the greeter steps "01-greet" and then, in order, the keys
 * of `counters`: each a copy of "02-count" whose counter.ts is the text given ("02-count" itself
 * may be one of them).
 */
export function greeterSteps(root: string, counters: Readonly<Record<string, string>>): void {
  const greeter = join(root, "exercises/greeter");
  for (const [dir, text] of Object.entries(counters)) {
    if (dir !== "02-count")
      cpSync(join(greeter, "02-count"), join(greeter, dir), { recursive: true });
    writeFileSync(join(greeter, dir, "counter.ts"), text);
  }
  const dirs = ["01-greet", ...Object.keys(counters)];
  write(
    root,
    "exercises/catalog.ts",
    `export const catalog = [{ id: "greeter", title: "Greeter", summary: "s", steps: ${JSON.stringify(
      dirs.map((dir) => ({ dir, title: dir, hints: ["h"] })),
    )} }];\n`,
  );
}

/** Makes `root` a git repository of its own with everything committed. */
export function commitAll(root: string): void {
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=kata", "-c", "user.email=kata@example.invalid", ...args],
      {
        cwd: root,
        stdio: "ignore",
      },
    );
  git("init", "-q");
  git("add", "-A");
  git("-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "pristine");
}
