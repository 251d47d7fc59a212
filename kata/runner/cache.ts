/**
 * Results of steps whose files did not change, kept between runs of `npm test` under
 * node_modules/.cache/kata/steps/. The key hashes the runner's own source and versions, and
 * every file of the step's folder but its Markdown, with every module it imports by a relative
 * path outside it: a changed byte anywhere there is a different key, so a cached result never
 * hides a change.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompileProblem, Tampering } from "../compile";
import type { Step } from "../layout";
import type { Fingerprints, StubPrint } from "../mistakes";
import type { TestOutcome } from "../outcome";

/** What a step's run found, as cached. */
export interface StepResult {
  readonly outcomes: TestOutcome[];
  readonly problems: CompileProblem[];
  readonly tampering: Tampering[];
  readonly logs: [string, string[]][];
}

const KATA = fileURLToPath(new URL("..", import.meta.url));
const IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

/** The runner's version: its own source, and the versions of what it runs. */
function runnerVersion(): string {
  const hash = createHash("sha256");
  const sources = [
    ...readdirSync(join(KATA, "runner")).map((f) => join(KATA, "runner", f)),
    ...["session.ts", "compile.ts", "typecheck.ts", "targets.ts", "outcome.ts"].map((f) =>
      join(KATA, f),
    ),
  ].sort();
  for (const file of sources) hash.update(`${file}\0${readFileSync(file)}\0`);
  for (const name of ["vitest", "typescript"]) {
    try {
      const manifest = join(KATA, "..", "node_modules", name, "package.json");
      hash.update(`${name}@${JSON.parse(readFileSync(manifest, "utf8")).version}\0`);
    } catch {
      hash.update(`${name}@?\0`);
    }
  }
  hash.update(process.version);
  return hash.digest("hex");
}

/**
 * What a step's result depends on besides the runner: every file of its folder but its prose
 * (Markdown, which grading areas leave out) and every module they import by a relative path
 * outside it, by path relative to the workbook and content. The same on every machine: verify
 * records the untouched stubs' key (exercises/fingerprints.json).
 */
export function contentKey(step: Step): string {
  const root = dirname(dirname(dirname(step.exerciseDir))); // <root>/exercises/<pattern>/<step>
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file) || !existsSync(file)) return;
    files.add(file);
    if (!file.endsWith(".ts")) return;
    for (const [, path = ""] of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolve(dirname(file), path);
      for (const candidate of [target, `${target}.ts`, join(target, "index.ts")]) {
        if (existsSync(candidate) && !candidate.startsWith(step.exerciseDir)) visit(candidate);
      }
    }
  };
  for (const entry of readdirSync(step.exerciseDir, { withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith(".md")) visit(join(step.exerciseDir, entry.name));
  }
  const hash = createHash("sha256");
  for (const file of [...files].sort()) {
    hash.update(`\0${relative(root, file).split(sep).join("/")}\0`).update(readFileSync(file));
  }
  return hash.digest("hex");
}

/**
 * The record of `step`'s untouched stub (exercises/fingerprints.json) if the step's files still
 * have its key (`content`, their `contentKey()`), and the record is as verify writes it: a
 * hand-edited one is not trusted, and its step runs.
 */
export function untouchedStub(
  fingerprints: Fingerprints | undefined,
  step: Step,
  content: string = contentKey(step),
): StubPrint | undefined {
  const stub = fingerprints?.steps[step.id]?.stub;
  return stub?.key === content && wellFormed(stub.failures) ? stub : undefined;
}

const wellFormed = (failures: unknown): boolean =>
  Array.isArray(failures) &&
  failures.every(
    (f) =>
      typeof f?.file === "string" &&
      typeof f.name === "string" &&
      Array.isArray(f.messages) &&
      f.messages.every((m: unknown) => typeof m === "string"),
  );

export class StepCache {
  readonly #dir: string;
  readonly #version: string;

  /** `salt`: the session's options that change results (compile checks, what follows a hang). */
  constructor(root: string, salt = "") {
    this.#dir = join(root, "node_modules", ".cache", "kata", "steps");
    this.#version = `${runnerVersion()}\0${salt}`;
  }

  /** The key of a step's result for this runner, from its `contentKey()`. */
  key(content: string): string {
    return createHash("sha256").update(this.#version).update(content).digest("hex");
  }

  get(key: string): StepResult | undefined {
    try {
      return JSON.parse(readFileSync(join(this.#dir, `${key}.json`), "utf8")) as StepResult;
    } catch {
      return undefined;
    }
  }

  set(key: string, result: StepResult): void {
    try {
      mkdirSync(this.#dir, { recursive: true });
      writeFileSync(join(this.#dir, `${key}.json`), JSON.stringify(result));
    } catch {
      // A read-only node_modules only costs time.
    }
  }
}
