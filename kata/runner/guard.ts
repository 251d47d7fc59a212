/**
 * Tampering refused at the source: a student's module may not import the test framework, the
 * assertion library, the property-testing library (fast-check, whose global settings a module could
 * weaken), the kata's tooling, the answer keys, or the parts of Node that reach into a running
 * process (the inspector, vm, worker threads, child processes). The compiler's process
 * checks every import statement, `import()` and `require()` (./static check in compile.ts, with
 * `importTampering`); the Vite plugin below refuses the same imports when they are resolved, which
 * catches an `import()` whose specifier is computed at run time.
 */
import { readFileSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vitest/config";
import { isSpecFile, type Workbook } from "../layout";
import { NODE_INTERNALS } from "./reach";

const FRAMEWORK =
  /^(vitest|vite|vite-node|chai|tinyspy|tinypool|tinybench|expect-type|@vitest\/.*|@sinonjs\/.*|fast-check|pure-rand|tsx|esbuild|typescript|rolldown|@oxc-project\/.*|@rolldown\/.*)(\/.*)?$/;

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
  // Node loads a data: (or any other) URL itself, past vite and this check, and a data: module
  // may import any of Node's modules.
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(specifier)?.[1];
  if (scheme && !/^(node|file)$/i.test(scheme) && !isAbsolute(specifier)) {
    return `imports a ${scheme}: URL, which Node would load past the runner's checks`;
  }
  const target = resolved ?? pathOf(importer, specifier);
  if (!target || !isAbsolute(target)) return undefined;
  const inside = (dir: string) => {
    const from = relative(dir, target);
    return !from.startsWith("..") && !isAbsolute(from);
  };
  if (inside(resolve(workbook.root, "kata"))) return `imports the kata's tooling (${specifier})`;
  if (inside(workbook.solutionsDir)) return `imports an answer key (${specifier})`;
  const dependency = target.split(sep).includes("node_modules");
  if (dependency && FRAMEWORK.test(packageOf(target))) {
    return `imports the test framework (${specifier})`;
  }
  // A device (/dev/zero, /dev/stdin) would be read by the runner itself, for ever.
  if (!dependency && !inside(workbook.root) && !inside(realRoot(workbook.root))) {
    return `imports a file outside the workbook (${specifier})`;
  }
  return undefined;
}

/** The file a relative, absolute or `file:` specifier names, before any resolution. */
function pathOf(importer: string, specifier: string): string | undefined {
  if (specifier.startsWith(".")) return resolve(importer, "..", specifier);
  if (specifier.startsWith("file:")) {
    try {
      return fileURLToPath(specifier);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(specifier) ? specifier : undefined;
}

const realRoots = new Map<string, string>();
const realRoot = (root: string): string => {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = realpathSync(root);
    } catch {
      real = root;
    }
    realRoots.set(root, real);
  }
  return real;
};

const packageOf = (path: string): string => {
  const parts = path.split(sep);
  const at = parts.lastIndexOf("node_modules");
  const name = parts[at + 1] ?? "";
  return name.startsWith("@") ? `${name}/${parts[at + 2] ?? ""}` : name;
};

/** What vite does with a module's own text in the runner's process, before any import resolves. */
const READ_BY_VITE: readonly [RegExp, string][] = [
  // vite expands it (its own test: the text) by scanning the disk.
  [/import\.meta\.glob/, "import.meta.glob (vite's scan of the disk, in the runner's own process)"],
  // vite reads the map a comment names, and merges an inline one into the module's own: a map at
  // /dev/zero or a FIFO hangs the runner, a malformed one crashes the test process.
  [
    /sourceMappingURL/,
    "a source map comment (vite would read the map it names, in the runner's own process)",
  ],
];

/** Text that only code reaching for the runner's internals contains. */
export const SUSPICIOUS_NAMES: readonly [RegExp, string][] = [
  [/\bgetBuiltinModule\b/, "process.getBuiltinModule (a way around the import check)"],
  [/\bprocess\s*\.\s*(binding|_linkedBinding|dlopen)\b/, "Node's internal bindings"],
  [/__vitest_\w+__/, "the test framework's internals"],
  [/\$\$jest-matchers-object|expect-global|@@__IMMUTABLE/, "the assertion library's internals"],
  [/\bcreateRequire\b/, "createRequire (a way around the import check)"],
  ...READ_BY_VITE,
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
    // Refused when vite loads the module, before it acts on the text (READ_BY_VITE).
    load(id) {
      if (!isStudentModule(workbook, id)) return null;
      const file = id.split("?")[0] ?? id;
      let code: string;
      try {
        code = readFileSync(file, "utf8");
      } catch {
        return null; // vite says what is wrong with it.
      }
      for (const [pattern, what] of READ_BY_VITE) {
        if (pattern.test(code)) throw new Error(`Tampering: ${file} reaches for ${what}.`);
      }
      return null;
    },
  };
}
