/**
 * `npm run handout -- <folder> [--ref <ref>] [--specs-repo <owner/name>] [--tag <tag>]`: writes
 * the repository a teacher gives students. It holds the workbook as committed at `ref` without the
 * answer keys (no `solutions/`, no mistakes, no tooling fixtures that hold answer keys), with the
 * GitHub Classroom workflow in place, as a fresh git repository with one commit: no history that
 * ever contained an answer key. The commit is tagged (`handout`), and the workflow grades every
 * push with the specs at that tag of `--specs-repo` (the handout repository once it is pushed).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { isMain, isUserError, UsageError } from "./command";
import { committedContents, committedFiles, resolveCommit } from "./git";
import { repoRoot } from "./layout";

const WORKFLOW = join(repoRoot, "kata", "classroom", "workflow.yml");
export const WORKFLOW_PATH = ".github/workflows/classroom.yml";

/** Is this committed file kept from students? Answer keys anywhere, and the teacher's own CI. */
export function isWithheld(path: string): boolean {
  const parts = path.split("/");
  return (
    parts.includes("solutions") ||
    parts.includes("mistakes") ||
    path.startsWith("kata/fixtures/") ||
    path.startsWith(".github/")
  );
}

export interface HandoutOptions {
  readonly folder: string;
  readonly repository?: string;
  readonly ref?: string;
  /** `owner/name` of the handout repository on GitHub, for the workflow. */
  readonly specsRepo?: string;
  readonly tag?: string;
}

export interface Handout {
  readonly folder: string;
  readonly commit: string;
  readonly files: number;
  readonly withheld: number;
}

/** Writes the handout repository; refuses a folder that exists and is not empty. */
export function handout(options: HandoutOptions): Handout {
  const folder = resolve(options.folder);
  const repository = resolve(options.repository ?? repoRoot);
  const ref = options.ref ?? "HEAD";
  const tag = options.tag ?? "handout";
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    throw new UsageError(`${options.folder}: the folder exists and is not empty`);
  }
  let commit: string;
  try {
    commit = resolveCommit(repository, ref);
  } catch {
    throw new UsageError(`"${ref}" is not a commit of a git repository at ${repository}`);
  }
  const all = committedFiles(repository, commit, ".");
  const kept = all.filter((p) => !isWithheld(p));
  const contents = committedContents(repository, commit, kept);
  mkdirSync(folder, { recursive: true });
  for (const [path, content] of contents) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  const workflow = readFileSync(WORKFLOW, "utf8")
    .replaceAll("__SPECS_REPOSITORY__", options.specsRepo ?? "OWNER/HANDOUT-REPOSITORY")
    .replaceAll("__SPECS_REF__", tag);
  mkdirSync(dirname(join(folder, WORKFLOW_PATH)), { recursive: true });
  writeFileSync(join(folder, WORKFLOW_PATH), workflow);
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      [
        "-c",
        "user.name=kata handout",
        "-c",
        "user.email=handout@example.invalid",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "tag.gpgsign=false",
        ...args,
      ],
      { cwd: folder, stdio: ["ignore", "pipe", "pipe"] },
    ).toString();
  git("init", "-q");
  git("add", "-A");
  git(
    "commit",
    "-q",
    "--no-verify",
    "-m",
    `Handout of the design-patterns kata (${commit.slice(0, 12)})`,
  );
  git("tag", tag);
  return {
    folder,
    commit: git("rev-parse", "HEAD").trim(),
    files: contents.size + 1,
    withheld: all.length - kept.length,
  };
}

async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ref: { type: "string", default: "HEAD" },
      repo: { type: "string" },
      "specs-repo": { type: "string" },
      tag: { type: "string", default: "handout" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    process.stdout.write(
      "Usage: npm run handout -- <folder> [--ref <ref>] [--specs-repo <owner/name>] [--tag <tag>]\n\n" +
        "Writes the repository to give students: the workbook at <ref> without answer keys, as one\n" +
        "fresh commit tagged <tag>, with the GitHub Classroom workflow (.github/workflows/classroom.yml)\n" +
        "grading every push with the specs at that tag of <owner/name>.\n",
    );
    return values.help ? 0 : 2;
  }
  const done = handout({
    folder: positionals[0] as string,
    repository: values.repo,
    ref: values.ref,
    specsRepo: values["specs-repo"],
    tag: values.tag,
  });
  const where = relative(process.cwd(), done.folder) || ".";
  process.stdout.write(
    `Wrote ${where}: ${done.files} files in one commit (${done.commit.slice(0, 7)}, tagged ${values.tag}); ${done.withheld} answer-key files left out.\n`,
  );
  if (!values["specs-repo"]) {
    process.stdout.write(
      pc.yellow(
        `Set the handout repository in ${WORKFLOW_PATH} (OWNER/HANDOUT-REPOSITORY), or rerun with --specs-repo.\n`,
      ),
    );
  }
  process.stdout.write(
    pc.dim(
      `Next: push it with its tag (git push --tags) and make it the assignment's template: docs/classroom.md.\n`,
    ),
  );
  return 0;
}

if (isMain(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${isUserError(error) ? `handout: ${error.message}` : error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
