/**
 * Mistakes: the plausible wrong answers of a step, and what the tooling knows about each.
 *
 * A mistake is either a whole module (`solutions/<p>/<step>/mistakes/<name>.ts`, for a wrong
 * answer of a different design) or a patch (`mistakes/<name>.patch`): a unified diff against the
 * step's answer key, as small as the bug. A patch starts with a header, the text before its first
 * `---` line (which patch tools ignore):
 *
 * ```text
 * Mistake: counts the first level as 0, so the limit stops one level late.
 * Caught by: "stops at the maximum depth"
 * Hint: A depth is a count of levels already entered. Which number does the first call see?
 *
 * --- a/observer.ts
 * +++ b/observer.ts
 * @@ -12,3 +12,3 @@
 * ```
 *
 * `Mistake:` (what is wrong) and `Caught by:` (one or more quoted test names, or parts of them)
 * are required; `Hint:` is one student-facing paragraph that names the misconception without
 * giving the answer away (the board shows it as "This looks like …"). A field may run on over
 * several lines. The patched module is built in memory, never written: it is served under a
 * virtual file name in the answer key's folder (`patchedModulePath()`), so its own relative
 * imports resolve as the answer key's do, to the Vite plugin (runtime specs) and to the compiler
 * host (type-level specs) alike.
 *
 * Fingerprints: verify records the exact set of tests each catalogued mistake fails in
 * `exercises/fingerprints.json`, which students have (their handout has no `solutions/`), so that
 * the board and the grader can say "this looks like mistake X" (`matchFingerprint()`).
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { applyPatch, parsePatch, type StructuredPatch } from "diff";
import type { TestOutcome } from "./outcome";

/** The repository (as in layout.ts, which imports this module): only shortens paths in messages. */
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

// ─── The header ─────────────────────────────────────────────────────────────────────────────────

/** What a mistake's header (or a whole mistake's leading comment) says about it. */
export interface MistakeHeader {
  /** What is wrong. */
  readonly mistake: string;
  /** The tests that catch it: full names or parts of them, as written. */
  readonly caughtBy: readonly string[];
  /** One student-facing paragraph naming the misconception, or `undefined`. */
  readonly hint: string | undefined;
}

/** The header's fields, in the order they are written. */
export const HEADER_FIELDS = { mistake: "Mistake", caughtBy: "Caught by", hint: "Hint" } as const;

const FIELD_LINE = /^(Mistake|Caught by|Hint):\s*(.*)$/;

/** The text of a patch before its first `---` line: the header. */
export const headerText = (patch: string): string => {
  const lines = patch.replace(/\r\n/g, "\n").split("\n");
  const end = lines.findIndex((l) => l.startsWith("--- "));
  return lines.slice(0, end === -1 ? lines.length : end).join("\n");
};

/** The quoted strings of a `Caught by:` field (straight or curly quotes). */
export const quoted = (text: string): string[] =>
  [...text.matchAll(/"([^"]+)"|“([^”]+)”/g)].map((m) => (m[1] ?? m[2] ?? "").trim());

/**
 * Parses a patch's header. Returns the header and the problems found (a missing field, a
 * `Caught by:` without a quoted test name); the header is usable only when there are none.
 */
export function parseHeader(patch: string): { header: MistakeHeader; problems: string[] } {
  const fields = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of headerText(patch).split("\n")) {
    const field = FIELD_LINE.exec(line);
    if (field) {
      current = field[1] as string;
      fields.set(current, [field[2] ?? ""]);
    } else if (current && line.trim() !== "") {
      fields.get(current)?.push(line.trim());
    } else if (line.trim() === "") {
      current = undefined;
    }
  }
  const text = (name: string) => {
    const value = fields.get(name)?.join(" ").replace(/\s+/g, " ").trim();
    return value === "" ? undefined : value;
  };
  const caughtBy = quoted(text(HEADER_FIELDS.caughtBy) ?? "");
  const header: MistakeHeader = {
    mistake: text(HEADER_FIELDS.mistake) ?? "",
    caughtBy,
    hint: text(HEADER_FIELDS.hint),
  };
  const problems: string[] = [];
  if (header.mistake === "")
    problems.push(`no "${HEADER_FIELDS.mistake}:" line says what is wrong`);
  if (caughtBy.length === 0) {
    problems.push(`no "${HEADER_FIELDS.caughtBy}:" line names a test in quotes`);
  }
  return { header, problems };
}

/** Wraps `text` at `width` columns, continuation lines indented by two spaces. */
function wrap(first: string, text: string, width = 100): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > width && line.trim() !== "" && line !== first) {
      lines.push(line);
      line = `  ${word}`;
    } else {
      line = line === first && first.endsWith(" ") ? `${line}${word}` : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join("\n");
}

/** The header as a patch file starts with it (ending with a blank line). */
export function formatHeader(header: MistakeHeader): string {
  const out = [
    wrap(`${HEADER_FIELDS.mistake}: `, header.mistake),
    wrap(`${HEADER_FIELDS.caughtBy}: `, header.caughtBy.map((t) => `"${t}"`).join(", ")),
  ];
  if (header.hint) out.push(wrap(`${HEADER_FIELDS.hint}: `, header.hint));
  return `${out.join("\n")}\n\n`;
}

// ─── Patches ────────────────────────────────────────────────────────────────────────────────────

/** Is this mistake a patch against its answer key (rather than a whole module)? */
export const isPatch = (file: string): boolean => file.endsWith(".patch");

/** Is this file a mistake at all (`mistakes/*.ts` or `mistakes/*.patch`)? */
export const isMistakeFile = (name: string): boolean => name.endsWith(".ts") || isPatch(name);

/** `mistakes/off-by-one.patch` → `off-by-one`. */
export const mistakeName = (file: string): string => basename(basename(file, ".ts"), ".patch");

/** A patch that does not apply (any more) to its answer key; the message names the mistake. */
export class StalePatchError extends Error {
  override name = "StalePatchError";
}

const posix = (path: string) => path.split(sep).join("/");

/** The one file a patch changes, parsed; throws a StalePatchError if it is not exactly one. */
function parseOne(text: string, where: string): StructuredPatch {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(text);
  } catch (error) {
    throw new StalePatchError(`${where} is not a unified diff: ${(error as Error).message}`);
  }
  const [patch] = patches;
  if (patches.length !== 1 || !patch || patch.hunks.length === 0) {
    throw new StalePatchError(
      `${where} must be a unified diff of exactly one file (the answer key), with at least one hunk`,
    );
  }
  return patch;
}

/** The answer key a patch changes: the file its `---` line names, in the step's solution folder. */
export function answerKeyOf(patchFile: string, patch?: StructuredPatch): string {
  const solutionDir = dirname(dirname(patchFile));
  const parsed = patch ?? parsePatch(readFileSync(patchFile, "utf8"))[0];
  const name = (parsed?.oldFileName ?? "").replace(/^a\//, "");
  return join(solutionDir, basename(name));
}

/**
 * The module a patch mistake stands for: the answer key with the patch applied, in memory.
 * `root` only shortens paths in messages. Throws a StalePatchError naming the mistake when the
 * patch does not apply, saying which hunk and which line it looked for.
 */
export function applyMistake(
  patchFile: string,
  root = repoRoot,
): { answerKey: string; text: string } {
  const where = posix(relative(root, patchFile));
  const text = readFileSync(patchFile, "utf8");
  const patch = parseOne(text, where);
  const answerKey = answerKeyOf(patchFile, patch);
  if (!existsSync(answerKey)) {
    throw new StalePatchError(
      `${where} patches ${basename(answerKey)}, which is not the step's answer key (no such file in ${posix(relative(root, dirname(answerKey)))}/)`,
    );
  }
  const source = readFileSync(answerKey, "utf8");
  const patched = applyPatch(source, patch);
  if (patched !== false) return { answerKey, text: patched };
  // Which hunk? Apply them one more at a time: the first that fails is the one to name.
  const failing =
    patch.hunks.find(
      (_h, i) => applyPatch(source, { ...patch, hunks: patch.hunks.slice(0, i + 1) }) === false,
    ) ?? patch.hunks[0];
  const expected = failing?.lines.find((l) => l.startsWith("-") || l.startsWith(" ")) ?? "";
  const at = failing
    ? `the hunk at line ${failing.oldStart} (@@ -${failing.oldStart},${failing.oldLines} +${failing.newStart},${failing.newLines} @@) finds no ${JSON.stringify(expected.slice(1).trim())} there`
    : "no hunk";
  throw new StalePatchError(
    `${where} no longer applies to the answer key: ${at}. Re-make the mistake on ${posix(relative(root, answerKey))} and regenerate the patch (see CONTRIBUTING.md, "Mistakes").`,
  );
}

const VIRTUAL = /^(.*)[\\/]([^\\/]+)\.mistake~([^\\/]+)\.ts$/;

/**
 * The file name a patch mistake is served under: `<solutionDir>/<key>.mistake~<name>.ts`. No such
 * file exists; the name lives in the answer key's folder so that the patched module's relative
 * imports resolve from there, and ends in `.ts` so that both Vite and the compiler treat it as
 * TypeScript. It carries everything needed to rebuild the text (`patchedSource()`), so a worker
 * thread or child process needs no state from the one that chose the target.
 */
export function patchedModulePath(patchFile: string, answerKey = answerKeyOf(patchFile)): string {
  return join(
    dirname(answerKey),
    `${basename(answerKey, ".ts")}.mistake~${mistakeName(patchFile)}.ts`,
  );
}

/** The patch behind a name made by `patchedModulePath()`, or `undefined` for any other file. */
export function patchOf(file: string): string | undefined {
  const found = VIRTUAL.exec(file.split("?")[0] ?? file);
  return found ? join(found[1] ?? "", "mistakes", `${found[3]}.patch`) : undefined;
}

/**
 * The text of a module as the kata runs it: a patched mistake built in memory, any other file
 * read from disk (`undefined` if it does not exist). The compiler host and the Vite plugin both
 * read modules through this.
 */
export function moduleText(file: string): string | undefined {
  const patch = patchOf(file);
  if (patch) return applyMistake(patch).text;
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/**
 * What a mistake says about itself: a patch's header, or a whole module's leading comment (its
 * `Caught by` names are the quoted strings after "Caught by").
 */
export function describeMistake(file: string): MistakeHeader {
  const text = readFileSync(file, "utf8");
  if (isPatch(file)) return parseHeader(text).header;
  const comment = leadingCommentText(text);
  // The hint is the student's paragraph: its words (quotes included) are neither what is wrong
  // nor the names of the tests that catch it.
  const found = /(?:^|\n)\s*Hint:\s*([\s\S]*?)(?:\n\s*\n|$)/.exec(comment);
  const hint = found?.[1];
  const said = found ? comment.replace(found[0], "\n") : comment;
  const caught = /caught by\b([\s\S]*)$/i.exec(said)?.[1] ?? "";
  return {
    mistake: said
      .replace(/^\s*Mistake\s*[:—-]\s*/i, "")
      .replace(/\s+/g, " ")
      .trim(),
    caughtBy: quoted(caught),
    hint: hint?.replace(/\s+/g, " ").trim(),
  };
}

/** The leading comment of a module (`//` lines or one block comment), without comment markers. */
export function leadingCommentText(source: string): string {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  if (/^\s*\/\*/.test(lines[0] ?? "")) {
    for (const line of lines) {
      out.push(
        line
          .replace(/^\s*\/\*\*?/, "")
          .replace(/\*\/.*$/, "")
          .replace(/^\s*\* ?/, ""),
      );
      if (line.includes("*/")) break;
    }
  } else {
    for (const line of lines) {
      if (!/^\s*\/\//.test(line)) break;
      const text = line.replace(/^\s*\/\/\s?/, "");
      if (!text.startsWith("biome-ignore")) out.push(text);
    }
  }
  return out.join("\n").trim();
}

/**
 * A module's leading comment (`//` lines, or one block comment), as its lines of prose, and the
 * index of the first code line after it (blank lines skipped). `biome-ignore` lines are tooling,
 * not prose. Whole-file mistakes and approaches both open with one.
 */
export function splitLeadingComment(source: string): {
  prose: string[];
  lines: string[];
  codeIndex: number;
} {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  const prose: string[] = [];
  let i = 0;
  if (/^\s*\/\*/.test(lines[0] ?? "")) {
    for (; i < lines.length; i++) {
      const line = lines[i] ?? "";
      prose.push(
        line
          .replace(/^\s*\/\*\*?\s?/, "")
          .replace(/\s*\*\/.*$/, "")
          .replace(/^\s*\* ?/, ""),
      );
      if (line.includes("*/")) {
        i++;
        break;
      }
    }
  } else {
    for (; i < lines.length && /^\s*\/\//.test(lines[i] ?? ""); i++) {
      const text = (lines[i] ?? "").replace(/^\s*\/\/\s?/, "");
      if (!text.startsWith("biome-ignore")) prose.push(text);
    }
  }
  while (i < lines.length && (lines[i] ?? "").trim() === "") i++;
  return { prose, lines, codeIndex: i };
}

// ─── Fingerprints ───────────────────────────────────────────────────────────────────────────────

/** One catalogued mistake's fingerprint: the exact set of tests it fails. */
export interface MistakePrint {
  readonly name: string;
  readonly hint: string | null;
  /** Full test names (`describe > it`), runtime and type-level, sorted. */
  readonly failing: readonly string[];
}

/** A step's entry: every test of the step (all of which fail on its untouched stub) and its mistakes. */
export interface StepPrints {
  /** Every test of the step (in the file only for a step without `stub`, whose names they are). */
  readonly tests: readonly string[];
  /** The untouched stub's failures, which `npm test` shows while the step's files are as handed out. */
  readonly stub?: StubPrint;
  readonly mistakes: readonly MistakePrint[];
}

/**
 * The untouched stub of a step: the key of its files (`contentKey()` in runner/cache.ts) and the
 * tests it fails, as the board shows them (every test fails on a stub: verify checks it).
 */
export interface StubPrint {
  readonly key: string;
  readonly failures: readonly StubFailure[];
}

/** A stub's failing test; `file` is its spec file's name in the step's folder. */
export type StubFailure = Pick<TestOutcome, "file" | "name" | "line" | "messages"> & {
  readonly failedAt?: { readonly line: number; readonly column?: number };
};

/** A stub's failure as a test outcome of the step whose folder is `dir`. */
export const stubOutcome = (failure: StubFailure, dir: string): TestOutcome => ({
  ...failure,
  target: "exercises",
  file: join(dir, failure.file),
  kind: failure.file.endsWith(".test-d.ts") ? "type" : "runtime",
  state: "failed",
  durationMs: 0,
});

/** The generated file: `exercises/fingerprints.json`. */
export interface Fingerprints {
  readonly $comment?: string;
  /** By step id (`singleton/01-one-instance`). */
  readonly steps: Readonly<Record<string, StepPrints>>;
}

export const FINGERPRINTS_COMMENT =
  "Generated by `npm run verify -- --update-fingerprints`: the tests each catalogued mistake fails. Do not edit.";

/** Where a workbook keeps its fingerprints. */
export const fingerprintsPath = (root: string): string =>
  join(root, "exercises", "fingerprints.json");

/** Reads the fingerprints of the workbook at `root` (or a path to the file); none if absent. */
export function loadFingerprints(rootOrFile: string): Fingerprints {
  const file = rootOrFile.endsWith(".json") ? rootOrFile : fingerprintsPath(rootOrFile);
  if (!existsSync(file)) return { steps: {} };
  return parseFingerprints(readFileSync(file, "utf8"));
}

/**
 * The fingerprints for the board and watch mode: none if the file is missing, and none with a
 * warning if it cannot be read (every step then runs, and no misconception is named).
 */
export function studentFingerprints(root: string, warn: (message: string) => void): Fingerprints {
  return fingerprintsOr(root, (why) =>
    warn(
      `exercises/fingerprints.json cannot be read (${why}): every step runs, and no catalogued mistake is named. \`git checkout exercises/fingerprints.json\` restores it.`,
    ),
  );
}

/** The fingerprints of the workbook at `root`; none, and `unreadable` told why, if the file is not one. */
export function fingerprintsOr(root: string, unreadable: (why: string) => void): Fingerprints {
  try {
    return loadFingerprints(root);
  } catch (error) {
    unreadable((error as Error).message);
    return { steps: {} };
  }
}

/** The file's text as fingerprints (grading reads it as committed); throws if it is not that. */
export function parseFingerprints(text: string): Fingerprints {
  const data: unknown = JSON.parse(text);
  const steps = (data as { steps?: unknown } | null)?.steps;
  if (typeof steps !== "object" || steps === null || Array.isArray(steps)) {
    throw new TypeError("it has no `steps` object");
  }
  // A step with its stub recorded keeps its test names there only (every test fails on a stub).
  const prints = data as { steps: Record<string, StepPrints> };
  for (const [id, step] of Object.entries(prints.steps)) {
    if (step.tests === undefined && step.stub) {
      prints.steps[id] = { ...step, tests: [...new Set(step.stub.failures.map((f) => f.name))] };
    }
  }
  return prints as Fingerprints;
}

/**
 * The file's text: sorted keys and lists, so that a rerun with nothing changed writes the same;
 * a stub's failure on one line each (there are hundreds).
 */
export function formatFingerprints(prints: Fingerprints): string {
  const lines: string[] = [];
  const steps = Object.fromEntries(
    Object.keys(prints.steps)
      .sort()
      .map((id) => {
        const step = prints.steps[id] as StepPrints;
        const stub = step.stub && {
          key: step.stub.key,
          failures: [...step.stub.failures]
            .sort(
              (a, b) =>
                a.file.localeCompare(b.file) ||
                (a.line ?? 0) - (b.line ?? 0) ||
                a.name.localeCompare(b.name),
            )
            .map((f) => {
              lines.push(
                JSON.stringify({
                  file: f.file,
                  name: f.name,
                  line: f.line,
                  messages: f.messages,
                  ...(f.failedAt && { failedAt: f.failedAt }),
                }),
              );
              return `\0${lines.length - 1}`;
            }),
        };
        return [
          id,
          {
            ...(stub ? { stub } : { tests: [...step.tests].sort() }),
            mistakes: [...step.mistakes]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((m) => ({ name: m.name, hint: m.hint, failing: [...m.failing].sort() })),
          },
        ];
      }),
  );
  const text = JSON.stringify({ $comment: FINGERPRINTS_COMMENT, steps }, null, 2);
  return `${text.replace(/"\\u0000(\d+)"/g, (_, i: string) => lines[Number(i)] as string)}\n`;
}

/** The steps whose entries differ between `committed` and `fresh`, among `ids`. */
export function staleSteps(
  committed: Fingerprints,
  fresh: Fingerprints,
  ids: readonly string[],
): string[] {
  // A stub's failure messages may name what differs from run to run (a temporary folder), and
  // the key already covers the files the tests come from: the messages are not compared.
  const canonical = (p: StepPrints | undefined) =>
    p === undefined
      ? ""
      : formatFingerprints({
          steps: {
            x: p.stub
              ? {
                  ...p,
                  stub: {
                    ...p.stub,
                    failures: p.stub.failures.map((f) => ({ ...f, messages: [] })),
                  },
                }
              : p,
          },
        });
  return ids.filter((id) => canonical(committed.steps[id]) !== canonical(fresh.steps[id]));
}

/** A catalogued mistake that matches a set of failures, and how closely (1 = exactly). */
export interface FingerprintMatch {
  readonly name: string;
  readonly hint: string | null;
  /** Jaccard similarity of the two sets of failing tests: |A ∩ B| / |A ∪ B|. */
  readonly score: number;
}

/**
 * The catalogued mistakes of `step` that `failing` (the full names of the tests failing now)
 * looks like: those whose fingerprint equals it if any (score 1), otherwise those that overlap
 * best, at least half the union (`minScore`), best first. No failure, or the failures of an
 * untouched stub (every test of the step), match nothing: a stub is not a misconception.
 */
export function matchFingerprint(
  prints: Fingerprints,
  step: string,
  failing: readonly string[],
  minScore = 0.5,
): FingerprintMatch[] {
  const entry = prints.steps[step];
  const now = new Set(failing);
  if (!entry || now.size === 0) return [];
  if (
    entry.tests.length > 0 &&
    entry.tests.every((t) => now.has(t)) &&
    now.size <= entry.tests.length
  ) {
    return [];
  }
  const scored = entry.mistakes
    .map((m) => {
      const shared = m.failing.filter((t) => now.has(t)).length;
      const union = new Set([...m.failing, ...now]).size;
      return { name: m.name, hint: m.hint, score: union === 0 ? 0 : shared / union };
    })
    .filter((m) => m.score > 0);
  const exact = scored.filter((m) => m.score === 1);
  if (exact.length > 0) return exact;
  return scored.filter((m) => m.score >= minScore).sort((a, b) => b.score - a.score);
}
