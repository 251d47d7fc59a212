/**
 * What every submission is graded with, read from the teacher's git repository at a named ref
 * (never from a working copy), and what is read from each submission: only its modules in
 * `exercises/`. Also: finding a submission's workbook in the folder a teacher names.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { UsageError } from "../command";
import { committedContents, committedFiles, resolveCommit } from "../git";
import { isSpecFile } from "../layout";
import type { Tampering } from "./report";

export const CATALOG = "exercises/catalog.ts";
const slashes = (path: string): string => path.split(sep).join("/");

/** The specs, the catalog and the code steps build on, as committed at one ref. */
export interface Pristine {
  readonly repository: string;
  readonly ref: string;
  readonly commit: string;
  /** The specs under exercises/ and the catalog: path (relative, forward slashes) → content. */
  readonly files: ReadonlyMap<string, Buffer>;
  /**
   * What a stub or spec may import besides its own step: the reference in patterns/ and any
   * other folder of code. Never the answer keys, the tooling, or the root's settings.
   */
  readonly given: ReadonlyMap<string, Buffer>;
  /** exercises/fingerprints.json (what each catalogued mistake fails), if committed. */
  readonly fingerprints: string | undefined;
}

export const FINGERPRINTS = "exercises/fingerprints.json";

/** Top-level folders that are not given to the student's code. */
const NOT_GIVEN = new Set([
  "exercises",
  "solutions",
  "kata",
  "bench",
  "docs",
  "site",
  "node_modules",
  ".ci",
  ".github",
]);

/** Is `path` (committed, relative) code the graded workbook may import? */
export function isGiven(path: string): boolean {
  const parts = path.split("/");
  if (parts.length < 2) return false; // root files: the area has its own settings
  if (NOT_GIVEN.has(parts[0] ?? "")) return false;
  // An answer key anywhere (a fixture's solutions/ too) stays with the teacher.
  return !parts.includes("solutions") && !parts.includes("mistakes");
}

/** Reads the specs, the catalog and the given code committed at `ref` in `repository`. */
export function readPristine(repository: string, ref = "HEAD"): Pristine {
  let commit: string;
  try {
    commit = resolveCommit(repository, ref);
  } catch {
    throw new UsageError(`"${ref}" is not a commit of a git repository at ${repository}`);
  }
  const all = committedFiles(repository, commit, ".");
  const specs = all.filter((p) => p === CATALOG || (p.startsWith("exercises/") && isSpecFile(p)));
  if (!specs.includes(CATALOG)) {
    throw new UsageError(
      `${CATALOG} is not committed at ${ref} in ${repository}: nothing to grade with`,
    );
  }
  return {
    repository,
    ref,
    commit,
    files: committedContents(repository, commit, specs),
    given: committedContents(repository, commit, all.filter(isGiven)),
    fingerprints: all.includes(FINGERPRINTS)
      ? committedContents(repository, commit, [FINGERPRINTS]).get(FINGERPRINTS)?.toString("utf8")
      : undefined,
  };
}

/**
 * Every regular file under `dir` (relative paths, forward slashes), skipping node_modules and
 * dot-folders. A symbolic link is never followed, `dir` included: in a student's repository it
 * could point anywhere on the teacher's machine (their answer keys, another submission).
 */
export function filesUnder(dir: string, from = dir): string[] {
  if (!isRealDir(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === "node_modules" || entry.name.startsWith(".")
        ? []
        : filesUnder(path, from);
    }
    return entry.isFile() ? [slashes(relative(from, path))] : [];
  });
}

/**
 * The most the grader reads of a submission: per module, and in all (a step's module is a few
 * KiB; the whole workbook's, a few hundred). Copied into the grading area, more would be the
 * grader's disk and time spent on one student.
 */
export const MAX_MODULE_BYTES = 1024 * 1024;
export const MAX_SUBMISSION_BYTES = 8 * 1024 * 1024;
export const MAX_MODULES = 1000;

/** A submission's own modules in exercises/, and those left out for their size. */
export interface StudentFiles {
  /** Paths relative to the submission: specs and catalog left out. */
  readonly taken: readonly string[];
  readonly leftOut: readonly { readonly path: string; readonly reason: string }[];
}

/** The student's own files in exercises/ (relative to the submission): specs and catalog left out. */
export function studentFiles(submission: string): StudentFiles {
  const taken: string[] = [];
  const leftOut: { path: string; reason: string }[] = [];
  let total = 0;
  const all = filesUnder(join(submission, "exercises"))
    .map((p) => `exercises/${p}`)
    .filter((p) => p !== CATALOG && !isSpecFile(p) && p.endsWith(".ts"))
    .sort();
  for (const path of all) {
    const size = statSync(join(submission, path)).size;
    if (taken.length === MAX_MODULES) {
      leftOut.push({
        path,
        reason: `the submission already has ${MAX_MODULES} modules, the most it may hold`,
      });
    } else if (size > MAX_MODULE_BYTES) {
      leftOut.push({
        path,
        reason: `it is larger than ${mib(MAX_MODULE_BYTES)}, the most a module may be`,
      });
    } else if (total + size > MAX_SUBMISSION_BYTES) {
      leftOut.push({
        path,
        reason: `the modules before it already make ${mib(MAX_SUBMISSION_BYTES)}, the most a submission may hold`,
      });
    } else {
      taken.push(path);
      total += size;
    }
  }
  return { taken, leftOut };
}

const mib = (bytes: number): string => `${bytes / 1024 / 1024} MiB`;

/**
 * How the submission's specs (and catalog) differ from the pristine ones. Only regular files
 * are read, never through a link, and only when their size matches: anything else at a spec's
 * path is "modified" (the ref's version runs instead).
 */
export function tampering(submission: string, pristine: Pristine): Tampering[] {
  const found: Tampering[] = [];
  const regular = new Set(filesUnder(join(submission, "exercises")).map((p) => `exercises/${p}`));
  for (const [path, content] of pristine.files) {
    const file = join(submission, path);
    const same =
      regular.has(path) &&
      statSync(file).size === content.length &&
      readFileSync(file).equals(content);
    if (same) continue;
    found.push({ file: path, change: regular.has(path) || lexists(file) ? "modified" : "deleted" });
  }
  for (const path of regular) {
    if (isSpecFile(path) && !pristine.files.has(path)) found.push({ file: path, change: "added" });
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

/** Is there anything at `path` (a dangling link too)? */
const lexists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** Is `path` a folder itself, not a link to one? */
export const isRealDir = (path: string): boolean => {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A submission as named on the command line, and the folder that holds its workbook. */
export interface Submission {
  /** The folder the teacher named (absolute): the report's name comes from it. */
  readonly given: string;
  /** Where its exercises/ folder is: `given`, or the one folder inside it that has one. */
  readonly root: string;
}

const isDir = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Finds the workbook in the folder a teacher named: the folder itself, or the one folder inside
 * it that has exercises/ (a zip unpacked one folder deep). Anything else is a UsageError naming
 * the folder, so that a typo creates nothing and grades nobody.
 */
export function findSubmission(path: string): Submission {
  const given = resolve(path);
  if (!existsSync(given)) throw new UsageError(`${path}: no such folder`);
  if (!isDir(given)) throw new UsageError(`${path}: not a folder`);
  if (isDir(join(given, "exercises"))) return { given, root: given };
  const entries = readdirSync(given).filter((n) => !n.startsWith(".") && n !== "__MACOSX");
  if (entries.length === 0) throw new UsageError(`${path}: the folder is empty`);
  // Never through a link: one folder deep means a folder the submission holds.
  const inside = entries.filter(
    (n) => isRealDir(join(given, n)) && isDir(join(given, n, "exercises")),
  );
  if (inside.length === 1) return { given, root: join(given, inside[0] as string) };
  if (inside.length > 1) {
    throw new UsageError(
      `${path}: several workbooks inside (${inside.join(", ")}); name the one to grade`,
    );
  }
  throw new UsageError(
    `${path}: no exercises/ folder, neither there nor one folder deep: not a copy of the workbook`,
  );
}

/** Is `inner` the folder `outer` or inside it? */
export const isInside = (inner: string, outer: string): boolean => {
  const path = relative(outer, inner);
  return (
    path === "" || (!path.startsWith("..") && !path.startsWith(sep) && !/^[A-Za-z]:/.test(path))
  );
};
