/**
 * When the docs site needs building again: a hash of every file it could be built from, kept with
 * the last good build's summary in node_modules/.cache/kata/docs.json. `npm run verify` builds the
 * site only when that hash changed (or the site is gone), and otherwise reports the last build.
 *
 * The inputs are the repository's files as git lists them (committed, changed and untracked, not
 * ignored), less those no page shows: the tooling's and the reference's test files, the bench and
 * the fixtures. Reading them all costs tens of milliseconds; a build costs tens of seconds.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Files that cannot change the site. */
const NOT_INPUTS = /(\.spec\.ts|\.e2e\.ts)$|^(bench|kata\/fixtures)\//;

/** What the last good build said, as the caller keeps it. */
export interface DocsStamp<T> {
  readonly hash: string;
  readonly result: T;
}

const stampFile = (root: string) => join(root, "node_modules", ".cache", "kata", "docs.json");

/** The hash of the site's inputs, or `undefined` outside a git work tree (then: always build). */
export function docsInputsHash(root: string): string | undefined {
  const listed = spawnSync("git", ["ls-files", "-z", "-co", "--exclude-standard"], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0 || listed.error) return undefined;
  const files = listed.stdout
    .toString()
    .split("\0")
    .filter((f) => f !== "" && !NOT_INPUTS.test(f))
    .sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(join(root, file)));
    } catch {
      hash.update("(deleted)");
    }
    hash.update("\0");
  }
  for (const name of ["typedoc", "typescript", "mermaid"]) {
    try {
      const manifest = join(root, "node_modules", name, "package.json");
      hash.update(`${name}@${JSON.parse(readFileSync(manifest, "utf8")).version}\0`);
    } catch {
      hash.update(`${name}@?\0`);
    }
  }
  return hash.digest("hex");
}

/** The last good build's stamp, if its inputs are the same as now and its site is still there. */
export function freshStamp<T>(root: string, hash: string | undefined, site: string) {
  if (!hash || !existsSync(join(site, "index.html"))) return undefined;
  try {
    const stamp = JSON.parse(readFileSync(stampFile(root), "utf8")) as DocsStamp<T>;
    return stamp.hash === hash ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Records a good build made from the inputs `hash` names. */
export function writeStamp<T>(root: string, hash: string | undefined, result: T): void {
  if (!hash) return;
  try {
    mkdirSync(dirname(stampFile(root)), { recursive: true });
    writeFileSync(stampFile(root), JSON.stringify({ hash, result } satisfies DocsStamp<T>));
  } catch {
    // A read-only node_modules only costs a build.
  }
}
