/**
 * Tampering refused at the source: a student's module may not import the test framework, the
 * assertion library, the property-testing library (fast-check, whose global settings a module could
 * weaken), the kata's tooling, the answer keys, or the parts of Node that reach into a running
 * process (the inspector, vm, worker threads, child processes). The compiler's process
 * checks every import statement, `import()` and `require()` (./static check in compile.ts, with
 * `importTampering`); the Vite plugin below refuses the same imports when they are resolved, which
 * catches an `import()` whose specifier is computed at run time.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Plugin } from "vitest/config";
import { isSpecFile, type Workbook } from "../layout";

const FRAMEWORK =
  /^(vitest|vite|vite-node|chai|tinyspy|tinypool|tinybench|expect-type|@vitest\/.*|@sinonjs\/.*|fast-check|pure-rand|tsx|esbuild|typescript|rolldown|@oxc-project\/.*|@rolldown\/.*)(\/.*)?$/;
const NODE_INTERNALS =
  /^(node:)?(inspector|inspector\/promises|vm|v8|worker_threads|child_process|cluster|module|repl|trace_events|wasi)$/;

/** Is `file` a module the student wrote (in exercises/, not a spec)? */
export const isStudentModule = (workbook: Workbook, id: string): boolean => {
  const file = id.split("?")[0] ?? id;
  const from = relative(workbook.exercisesDir, file);
  return !from.startsWith("..") && !isAbsolute(from) && !isSpecFile(file);
};

/**
 * Why importing `specifier` from the student module `importer` is tampering, or `undefined`.
 * `resolved` is where the import leads, when known.
 */
export function importTampering(
  workbook: Workbook,
  importer: string,
  specifier: string,
  resolved?: string,
): string | undefined {
  if (FRAMEWORK.test(specifier))
    return `imports the test framework or the kata's tooling ("${specifier}")`;
  if (NODE_INTERNALS.test(specifier)) {
    return `imports "${specifier}", which reaches into the running test process`;
  }
  const target =
    resolved ?? (specifier.startsWith(".") ? resolve(importer, "..", specifier) : undefined);
  if (!target) return undefined;
  const inside = (dir: string) => {
    const from = relative(dir, target);
    return !from.startsWith("..") && !isAbsolute(from);
  };
  if (inside(resolve(workbook.root, "kata"))) return `imports the kata's tooling (${specifier})`;
  if (inside(workbook.solutionsDir)) return `imports an answer key (${specifier})`;
  if (target.split(sep).includes("node_modules") && FRAMEWORK.test(packageOf(target))) {
    return `imports the test framework (${specifier})`;
  }
  return undefined;
}

const packageOf = (path: string): string => {
  const parts = path.split(sep);
  const at = parts.lastIndexOf("node_modules");
  const name = parts[at + 1] ?? "";
  return name.startsWith("@") ? `${name}/${parts[at + 2] ?? ""}` : name;
};

/** Text that only code reaching for the runner's internals contains. */
export const SUSPICIOUS_NAMES: readonly [RegExp, string][] = [
  [/\bgetBuiltinModule\b/, "process.getBuiltinModule (a way around the import check)"],
  [/\bprocess\s*\.\s*(binding|_linkedBinding|dlopen)\b/, "Node's internal bindings"],
  [/__vitest_\w+__/, "the test framework's internals"],
  [/\$\$jest-matchers-object|expect-global|@@__IMMUTABLE/, "the assertion library's internals"],
  [/\bcreateRequire\b/, "createRequire (a way around the import check)"],
];

/** Refuses, when they are resolved, the imports `importTampering` names. */
export function guardPlugin(workbook: Workbook): Plugin {
  return {
    name: "kata-guard",
    enforce: "pre",
    async resolveId(source, importer) {
      if (!importer || !isStudentModule(workbook, importer)) return null;
      const early = importTampering(workbook, importer, source);
      if (early) throw new Error(`Tampering: ${importer} ${early}.`);
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      const file = resolved && !resolved.external ? resolved.id.split("?")[0] : undefined;
      const late = file ? importTampering(workbook, importer, source, file) : undefined;
      if (late) throw new Error(`Tampering: ${importer} ${late}.`);
      return resolved;
    },
  };
}
