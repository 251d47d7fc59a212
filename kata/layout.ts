/**
 * Where things live. Folders are the syllabus: `exercises/<pattern>/<step>/` holds the stub, its
 * specs and README.md; `solutions/<pattern>/<step>/` mirrors it with the answer key and
 * `mistakes/*.patch` (or whole `mistakes/*.ts`) and `approaches/*.ts`; the catalog is
 * `exercises/catalog.ts`. Everything else is derived.
 *
 * A workbook is a folder laid out that way: this repository, or a small fixture in `kata/fixtures/`
 * that proves `verify` catches what it should.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PatternEntry, StepEntry } from "../exercises/catalog";
import { isMistakeFile } from "./mistakes";

export type { PatternEntry, StepEntry };

/** The repository this file belongs to. */
export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export interface Workbook {
  readonly root: string;
  readonly exercisesDir: string;
  readonly solutionsDir: string;
  readonly patternsDir: string;
  readonly catalog: readonly PatternEntry[];
}

/**
 * Loads the workbook at `root` (default: this repository) and its catalog, or takes the catalog
 * given (grading's runner has it built in: it runs without a TypeScript loader).
 */
export async function loadWorkbook(
  root = repoRoot,
  given?: readonly PatternEntry[],
): Promise<Workbook> {
  const exercisesDir = join(resolve(root), "exercises");
  const catalog =
    given ??
    (
      (await import(pathToFileURL(join(exercisesDir, "catalog.ts")).href)) as {
        catalog: readonly PatternEntry[];
      }
    ).catalog;
  return {
    root: resolve(root),
    exercisesDir,
    solutionsDir: join(resolve(root), "solutions"),
    patternsDir: join(resolve(root), "patterns"),
    catalog,
  };
}

const RUNTIME_SPEC = /\.spec\.ts$/;
const TYPE_SPEC = /\.test-d\.ts$/;

/** Is this file a spec (runtime or type-level) rather than a module a spec exercises? */
export const isSpecFile = (file: string): boolean =>
  RUNTIME_SPEC.test(file) || TYPE_SPEC.test(file);

/** A kata step, resolved against the file system. */
export interface Step {
  readonly pattern: PatternEntry;
  readonly entry: StepEntry;
  /** `singleton/01-one-instance`: stable; used in filters, reports and the docs. */
  readonly id: string;
  readonly exerciseDir: string;
  readonly solutionDir: string;
  readonly readme: string;
  /** The stubs: the non-spec modules in the step folder (exactly one, by convention). */
  readonly modules: readonly string[];
  readonly specs: readonly string[];
  readonly typeSpecs: readonly string[];
  /** `mistakes/*.patch` (against the answer key) and whole `mistakes/*.ts`, sorted. */
  readonly mistakes: readonly string[];
  /** `approaches/*.ts`: other correct answers, each a whole module (see approaches.ts), sorted. */
  readonly approaches: readonly string[];
}

/** The files in `dir` whose names pass `test`, sorted, as absolute paths; none if `dir` is absent. */
export const listFiles = (dir: string, test: (name: string) => boolean): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isFile() && test(d.name))
        .map((d) => join(dir, d.name))
        .sort()
    : [];

/** Every step of the workbook, in catalog order. */
export function steps(workbook: Workbook): Step[] {
  return workbook.catalog.flatMap((pattern) =>
    pattern.steps.map((entry): Step => {
      const exerciseDir = join(workbook.exercisesDir, pattern.id, entry.dir);
      const solutionDir = join(workbook.solutionsDir, pattern.id, entry.dir);
      return {
        pattern,
        entry,
        id: `${pattern.id}/${entry.dir}`,
        exerciseDir,
        solutionDir,
        readme: join(exerciseDir, "README.md"),
        modules: listFiles(exerciseDir, (n) => n.endsWith(".ts") && !isSpecFile(n)),
        specs: listFiles(exerciseDir, (n) => RUNTIME_SPEC.test(n)),
        typeSpecs: listFiles(exerciseDir, (n) => TYPE_SPEC.test(n)),
        mistakes: listFiles(join(solutionDir, "mistakes"), isMistakeFile),
        approaches: listFiles(join(solutionDir, "approaches"), (n) => n.endsWith(".ts")),
      };
    }),
  );
}

/**
 * The steps a user's filters name: a pattern id (`observer`, exactly: not `observer-async`), a
 * step id (`singleton/02-lazy`), a folder path (`exercises/singleton/02-lazy/`) or any part of a
 * step id (`02-lazy`). No filter selects everything.
 */
export function selectSteps(all: readonly Step[], filters: readonly string[]): Step[] {
  if (filters.length === 0) return [...all];
  const needles = filters.map((f) =>
    f
      .replace(/\\/g, "/")
      .replace(/^(\.\/)?(exercises|solutions)\//, "")
      .replace(/\/+$/, ""),
  );
  const matches = (step: Step, needle: string): boolean =>
    all.some((s) => s.pattern.id === needle)
      ? step.pattern.id === needle
      : needle !== "" && step.id.includes(needle);
  return all.filter((step) => needles.some((n) => matches(step, n)));
}

/** What to say when `filters` select no step: the filters, and the patterns to try instead. */
export function noStepMatches(all: readonly Step[], filters: readonly string[]): string {
  const patterns = [...new Set(all.map((s) => s.pattern.id))];
  return `No step matches ${filters.map((f) => `"${f}"`).join(", ")}. Try a pattern: ${patterns.join(", ")}.`;
}

/** `file` relative to `from` with forward slashes, for messages that read the same everywhere. */
export const rel = (file: string, from = repoRoot): string =>
  relative(from, file).split(sep).join("/");
