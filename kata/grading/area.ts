/**
 * Where a submission is graded: a fresh folder per submission, laid out as a workbook from the
 * pristine files and the student's own modules, and nothing else. It has no link back to the
 * teacher's checkout or to another submission: the tooling and the dependencies are seen at
 * neutral paths (in the sandbox, `/grade/kata` and `/grade/node_modules`, read-only), and the
 * answer keys are never in it.
 *
 * ```
 * <batch>/tools/            /grade (read-only)     tooling snapshot: kata/, package.json, tsconfig.json
 * <batch>/tools/node_modules  /grade/node_modules  the teacher's dependencies, read-only
 * <batch>/areas/<n>/        /grade/work            one submission's workbook, read-only too
 * <batch>/areas/node_modules  (not mounted)        a link for the grader's compiler (grade.ts)
 * ```
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { build } from "esbuild";
import { repoRoot } from "../layout";
import type { Pristine } from "./pristine";
import { RUNNER } from "./sandbox";

/** The kata's tooling folders a sandboxed run does not need (and must not see: fixtures hold answer keys). */
const NOT_TOOLING = new Set(["fixtures", "docs", "classroom"]);

/** One grading batch's folders under the system's temporary folder. */
export class Batch {
  readonly root: string;
  /** The tooling snapshot the sandboxed runner loads (it is read-only there). */
  readonly tools: string;
  readonly nodeModules: string;
  #next = 0;

  /** `linkModules`: give the tooling a link to node_modules (no sandbox to mount it). */
  constructor(linkModules: boolean, nodeModules = join(repoRoot, "node_modules")) {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), "kata-grade-")));
    this.tools = join(this.root, "tools");
    this.nodeModules = realpathSync(nodeModules);
    const kata = join(this.tools, "kata");
    cpSync(join(repoRoot, "kata"), kata, {
      recursive: true,
      filter: (source) => {
        const name = source.slice(join(repoRoot, "kata").length + 1);
        const top = name.split(/[\\/]/)[0] ?? "";
        if (NOT_TOOLING.has(top) || top.startsWith(".")) return false;
        return !/\.(spec|e2e)\.ts$/.test(name);
      },
    });
    writeFileSync(join(this.tools, "package.json"), '{ "type": "module", "private": true }\n');
    cpSync(join(repoRoot, "tsconfig.json"), join(this.tools, "tsconfig.json"));
    if (linkModules) symlinkSync(this.nodeModules, join(this.tools, "node_modules"), "junction");
    else mkdirSync(join(this.tools, "node_modules"));
    mkdirSync(join(this.tools, "work"));
    mkdirSync(join(this.root, "areas"));
    // For the grader's compiler, which checks the areas outside the sandbox; in the sandbox an
    // area sees /grade/node_modules instead, and never this folder.
    symlinkSync(this.nodeModules, join(this.root, "areas", "node_modules"), "junction");
    // The areas' settings extend "../tsconfig.json": /grade/tsconfig.json in the sandbox, this
    // copy for the grader's own look at the reference area.
    cpSync(join(repoRoot, "tsconfig.json"), join(this.root, "areas", "tsconfig.json"));
  }

  /**
   * Bundles the sandbox's runner (child.ts) with the tooling it imports and the catalog of the
   * pristine `reference` area into `RUNNER`, dependencies left to node_modules. Started without
   * tsx, a runner saves its loader (about a second of CPU per submission: transpiling the
   * tooling in a fresh /tmp, and a hook thread every import goes through). A module's
   * `import.meta.url` stays its own, so that the paths it derives still lead into the tooling.
   */
  async bundleRunner(reference: string): Promise<void> {
    const kata = join(this.tools, "kata");
    const outfile = join(this.tools, RUNNER);
    const own = (file: string) => relative(dirname(outfile), file).split(sep).join("/");
    await build({
      stdin: {
        contents: [
          `import { catalog } from ${JSON.stringify(join(reference, "exercises", "catalog.ts"))};`,
          `import { main } from ${JSON.stringify(join(kata, "grading", "child.ts"))};`,
          "await main(catalog);",
        ].join("\n"),
        resolveDir: kata,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node}`,
      packages: "external",
      outfile,
      logLevel: "silent",
      plugins: [
        {
          name: "own-import-meta-url",
          setup(bundler) {
            bundler.onLoad({ filter: /\.ts$/ }, (args) => {
              const text = readFileSync(args.path, "utf8");
              if (!text.includes("import.meta.url")) return undefined;
              const url = `new URL(${JSON.stringify(own(args.path))}, import.meta.url).href`;
              return { contents: text.replaceAll("import.meta.url", url), loader: "ts" };
            });
          },
        },
      ],
    });
  }

  /**
   * A fresh area for one submission: the given code and pristine specs at the ref, and `files`
   * (the student's modules, paths relative to `submission`; see `studentFiles()`). No student:
   * the pristine workbook, stubs left out. Inside the tooling folder when there is no sandbox to
   * mount it (so node_modules resolves), beside it otherwise.
   */
  area(
    student: { readonly submission: string; readonly files: readonly string[] } | undefined,
    pristine: Pristine,
    inTools: boolean,
  ): string {
    const n = this.#next++;
    const root = inTools ? join(this.tools, `work-${n}`) : join(this.root, "areas", String(n));
    const put = (path: string, content: Buffer | string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    };
    mkdirSync(root, { recursive: true });
    for (const [path, content] of pristine.given) put(path, content);
    if (student) {
      for (const path of student.files) put(path, readFileSync(join(student.submission, path)));
    }
    for (const [path, content] of pristine.files) put(path, content);
    put("package.json", '{ "type": "module", "private": true }\n');
    put(
      "tsconfig.json",
      `${JSON.stringify({ extends: "../tsconfig.json", include: ["**/*.ts"] })}\n`,
    );
    return root;
  }

  /** An area, once its run is over (every process that could write in it is gone). */
  removeArea(area: string): void {
    rmSync(area, { recursive: true, force: true });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
