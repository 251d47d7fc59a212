/**
 * Targets: what a spec's `import … from "./singleton"` means in a given run. Spec files are never
 * copied: the same file runs against the student's stub, the answer key or one mistake, because
 * the import is redirected when it is resolved, by a Vite plugin for runtime specs and by the
 * compiler host for type-level specs (typecheck.ts). Both ask `redirect()`.
 *
 * A mistake stored as a patch (`mistakes/<name>.patch`, see mistakes.ts) has no file to redirect
 * to: `redirect()` answers a virtual module in the answer key's folder, whose text both the
 * plugin's `load` hook and the compiler host build in memory (`moduleText()`).
 */
import { dirname, join, relative } from "node:path";
import type { Plugin } from "vitest/config";
import { isSpecFile, type Step, type Workbook } from "./layout";
import { isPatch, mistakeName, moduleText, patchedModulePath, patchOf } from "./mistakes";

export { mistakeName };

export type Target =
  /** The student's work, as it is. */
  | { readonly kind: "exercises" }
  /** The reference implementations' own specs in `patterns/` (and the tooling's in `kata/`). */
  | { readonly kind: "reference" }
  /** The answer keys in `solutions/`. */
  | { readonly kind: "solutions" }
  /**
   * One common mistake of one step, standing in for that step's stub: a whole module
   * (`mistakes/<name>.ts`) or a patch against the answer key (`mistakes/<name>.patch`).
   */
  | { readonly kind: "mistake"; readonly step: Step; readonly file: string }
  /** Another correct answer to one step (`approaches/<name>.ts`, see approaches.ts). */
  | { readonly kind: "approach"; readonly step: Step; readonly file: string };

/** The module that serves a mistake: the whole file, or the patched answer key's virtual name. */
export const mistakeModule = (file: string): string =>
  isPatch(file) ? patchedModulePath(file) : file;

/** The target's name in reports: `exercises`, `solutions`, `mistake:<step>/<name>` or `approach:…`. */
export const targetName = (target: Target): string =>
  target.kind === "mistake" || target.kind === "approach"
    ? `${target.kind}:${target.step.id}/${mistakeName(target.file)}`
    : target.kind;

/** The steps whose specs run against `target`: a mistake or an approach concerns its own step. */
export const stepsFor = (target: Target, steps: readonly Step[]): readonly Step[] =>
  target.kind === "mistake" || target.kind === "approach" ? [target.step] : steps;

/**
 * The file that really serves `resolved` when `importer` imports it under `target`, or
 * `undefined` to keep it. Only a spec's import of a module in its own exercise folder moves.
 */
export function redirect(
  workbook: Workbook,
  target: Target,
  importer: string,
  resolved: string,
): string | undefined {
  if (target.kind === "exercises" || target.kind === "reference") return undefined;
  if (!isSpecFile(importer) || isSpecFile(resolved) || dirname(importer) !== dirname(resolved)) {
    return undefined;
  }
  const fromExercises = relative(workbook.exercisesDir, resolved);
  if (fromExercises.startsWith("..")) return undefined;
  if (target.kind === "solutions") return join(workbook.solutionsDir, fromExercises);
  if (dirname(resolved) !== target.step.exerciseDir) return undefined;
  return target.kind === "approach" ? target.file : mistakeModule(target.file);
}

/**
 * A spec's module id under `target`. One vitest project serves every target at once: the spec
 * file is loaded once per target under a different id (`…/x.spec.ts?target=solutions`), and the
 * plugin below reads the importer's query to know where its stub import goes. That is ten times
 * faster than a vitest project per target (one per mistake adds up).
 */
export function specId(file: string, target: Target): string {
  const name = targetName(target);
  return name === "exercises" || name === "reference"
    ? file
    : `${file}?target=${encodeURIComponent(name)}`;
}

/** The spec file and target name behind a module id made by `specId()`. */
export function parseSpecId(id: string, fallback: string): { file: string; target: string } {
  const [file = id, query] = id.split("?");
  return { file, target: new URLSearchParams(query).get("target") ?? fallback };
}

/**
 * The Vite plugin that applies `redirect()` to runtime specs loaded through `specId()`, and
 * builds a patched mistake's module in memory when it is loaded.
 */
export function redirectPlugin(workbook: Workbook, targets: readonly Target[]): Plugin {
  const byName = new Map(targets.map((t) => [targetName(t), t]));
  return {
    name: "kata-redirect",
    enforce: "pre",
    async resolveId(source, importer) {
      if (!importer || !source.startsWith(".")) return null;
      const { file, target } = parseSpecId(importer, "exercises");
      const chosen = byName.get(target);
      if (!chosen) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      if (!resolved || resolved.external) return null;
      return redirect(workbook, chosen, file, parseSpecId(resolved.id, "").file) ?? null;
    },
    load(id) {
      return patchOf(id) ? (moduleText(id) ?? null) : null;
    },
  };
}

/**
 * Options for every kata run. No per-file isolation: each step's module is its own file, and
 * isolation would cost about four times the run time.
 */
export const runOptions = {
  isolate: false,
  pool: "threads",
  // A student's never-settling promise fails its test instead of hanging the board.
  testTimeout: 2_000,
  hookTimeout: 2_000,
  restoreMocks: true,
  unstubGlobals: true,
  includeTaskLocation: true,
} as const;
