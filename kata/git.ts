/**
 * The few git reads the runner needs: committed files and their contents at a ref. `reset` puts a
 * step back as committed, and grading reads the pristine specs from git, never from the working
 * copy. Paths are relative to the workbook's root, which may be a folder inside the repository.
 */
import { execFileSync, spawnSync } from "node:child_process";

/** git is missing, the folder is not in a repository, or the ref or file does not exist there. */
export class GitError extends Error {
  override name = "GitError";
}

function git(cwd: string, args: readonly string[], input?: string): Buffer {
  const result = spawnSync("git", args, { cwd, input, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new GitError(`git could not be run: ${result.error.message}`);
  if (result.status !== 0) {
    const message = result.stderr.toString().trim().split("\n")[0] ?? "";
    throw new GitError(`git ${args.join(" ")} failed: ${message}`);
  }
  return result.stdout;
}

/** Where `root` sits inside its repository: `""` at the top, or `kata/fixtures/x/`. */
function prefix(root: string): string {
  return git(root, ["rev-parse", "--show-prefix"]).toString().trim();
}

/** The commit `ref` names, in full. */
export function resolveCommit(root: string, ref: string): string {
  return git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])
    .toString()
    .trim();
}

/** The files committed at `ref` under `dir` (relative to `root`, forward slashes). */
export function committedFiles(root: string, ref: string, dir: string): string[] {
  const out = git(root, ["ls-tree", "-r", "--name-only", "-z", ref, "--", dir]).toString();
  return out.split("\0").filter((f) => f !== "");
}

/** The contents of `paths` (relative to `root`) at `ref`; a path missing there is left out. */
export function committedContents(
  root: string,
  ref: string,
  paths: readonly string[],
): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  if (paths.length === 0) return contents;
  const base = prefix(root);
  // One `git cat-file --batch` for every file, rather than a process per file.
  const out = git(root, ["cat-file", "--batch"], paths.map((p) => `${ref}:${base}${p}\n`).join(""));
  let at = 0;
  for (const path of paths) {
    const end = out.indexOf(10, at);
    const header = out.subarray(at, end).toString();
    at = end + 1;
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
    if (size === undefined) continue; // "<ref>:<path> missing"
    contents.set(path, out.subarray(at, at + Number(size)));
    at += Number(size) + 1;
  }
  return contents;
}

/** Is `root` inside a git work tree? */
export function inRepository(root: string): boolean {
  try {
    return execFileSync("git", ["rev-parse", "--is-inside-work-tree"], {
      cwd: root,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .startsWith("true");
  } catch {
    return false;
  }
}
