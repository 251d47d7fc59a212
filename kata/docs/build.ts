/**
 * `npm run docs`: builds the docs site with typedoc into `site/` (git-ignored).
 *
 * The site has a home page and guides (`docs/*.md`, hand-written), then one section per catalog
 * pattern, in catalog order. A section is the pattern's module page (an overview generated from
 * the catalog, then the API reference of `patterns/<id>/index.ts`) with the lesson
 * (`patterns/<id>/README.md`) and one page per kata step as its documents. The overview and step
 * pages are generated (pages.ts) into a build folder under `docs-gen/` (git-ignored) and typedoc
 * reads them there, so their `{@include}` / `{@includeCode}` tags pull in the real files.
 *
 * Settings that do not depend on the workbook (validation, search, highlighting) are in
 * `typedoc.json`; entry points, documents and folders are derived here from the catalog, so a
 * pattern joins the site by joining the catalog. `buildDocs()` never exits the process and never
 * throws for a broken workbook: `npm run verify` can run it as a "docs" check.
 *
 * typedoc's compiler pass skips type checking (`skipErrorChecking`): `npm run verify` typechecks
 * everything anyway, and the build stays well inside its budget.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import {
  Application,
  Comment,
  CommentTag,
  Converter,
  DeclarationReflection,
  type DocumentReflection,
  Logger,
  LogLevel,
  MinimalSourceFile,
  type NormalizedPath,
  type ProjectReflection,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
} from "typedoc";
import { isMain } from "../command";
import { listFiles, loadWorkbook, rel, repoRoot, steps, type Workbook } from "../layout";
import {
  missingSources,
  overviewPage,
  patternsTable,
  type Section,
  sectionsOf,
  stepPage,
  stepPagePath,
} from "./pages";

export interface BuildOptions {
  /** The workbook to document (default: this repository). */
  readonly root?: string;
  /** Where the site goes (default: `<root>/site`). Replaced on every build. */
  readonly out?: string;
  /** Where builds generate their pages (default: `<root>/docs-gen`), each in a folder of its own. */
  readonly genDir?: string;
}

export interface BuildResult {
  /** True when the site was written and there is no problem. */
  readonly ok: boolean;
  /**
   * One line each: the sources a section lacks (a lesson, an `index.ts`, a step's README.md) and
   * typedoc's errors and warnings (validation included; warnings count as errors here).
   */
  readonly problems: string[];
  readonly seconds: number;
  /** HTML pages written. */
  readonly pages: number;
  /** The site's size on disk, in bytes. */
  readonly bytes: number;
  /** The folder the site was written to. */
  readonly out: string;
}

/**
 * The guides after the home page (`docs/index.md`), in sidebar order; any other `docs/*.md`
 * follows them. Each is named after its `# Title` (not frontmatter, which Biome's Markdown
 * formatter does not understand).
 */
export const guides = ["getting-started.md", "classroom.md"] as const;

const assets = join(repoRoot, "kata", "docs", "assets");
const mermaidBundle = join(repoRoot, "node_modules", "mermaid", "dist", "mermaid.min.js");

/** A typedoc logger that keeps warnings and errors as problem lines instead of printing them. */
class CollectingLogger extends Logger {
  readonly lines: string[] = [];

  constructor(private readonly root: string) {
    super();
  }

  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.lines.push(message);
  }

  override addContext(message: string, level: LogLevel, ...args: unknown[]): string {
    const kind = level === LogLevel.Error ? "error" : level === LogLevel.Warn ? "warning" : "info";
    const text = message.replaceAll(`${this.root}${sep}`, "").replaceAll("<unknown>/", "");
    const [at, file] = args as [unknown, unknown];
    let where = "";
    if (at && typeof at === "object" && "getSourceFile" in at) {
      const node = at as { getStart(): number; getSourceFile(): SourceLike };
      where = locate(node.getSourceFile(), node.getStart());
    } else if (typeof at === "number" && file) {
      where = locate(file as SourceLike, at);
    }
    return `typedoc ${kind}: ${where ? `${where}: ` : ""}${text}`;
  }
}

interface SourceLike {
  fileName: string;
  getLineAndCharacterOfPosition(pos: number): { line: number };
}

const locate = (file: SourceLike, pos: number): string =>
  `${rel(file.fileName)}:${file.getLineAndCharacterOfPosition(pos).line + 1}`;

/** Writes the generated pages and the compiler settings typedoc uses; returns the sections. */
function generate(workbook: Workbook, genDir: string, entryPoints: readonly string[]): Section[] {
  const sections = sectionsOf(workbook, steps(workbook), genDir);
  const pages = [
    patternsTable(sections, join(genDir, "patterns.md")),
    ...sections.flatMap((section) => [
      overviewPage(workbook, section, genDir),
      ...section.steps.map((step) => stepPage(workbook, section, step, genDir)),
    ]),
  ];
  for (const page of pages) {
    mkdirSync(dirname(page.file), { recursive: true });
    writeFileSync(page.file, page.text);
  }
  // The compiler sees only the references' entry points and what they import, not the whole
  // repository: that keeps the build fast, and `npm run verify` typechecks everything anyway.
  const rootConfig = join(workbook.root, "tsconfig.json");
  const config = {
    extends: existsSync(rootConfig) ? rootConfig : join(repoRoot, "tsconfig.json"),
    compilerOptions: { typeRoots: [join(repoRoot, "node_modules", "@types")] },
    files: entryPoints,
    include: [],
  };
  writeFileSync(join(genDir, "tsconfig.json"), `${JSON.stringify(config, null, 2)}\n`);
  return sections;
}

/**
 * Hooks the sections into typedoc's model. Each pattern becomes a module named after it (the one
 * typedoc made from its `index.ts`, or an empty one while there is none) whose page starts with
 * the overview and whose documents are the lesson and the step pages. Modules follow the guides,
 * in catalog order.
 */
function attachSections(
  app: Application,
  workbook: Workbook,
  sections: readonly Section[],
  genDir: string,
) {
  const modules = new Map<string, DeclarationReflection>();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile();
    const section = sections.find(
      (s) => s.entryPoint && file && resolve(file.fileName) === resolve(s.entryPoint),
    );
    if (section) modules.set(section.pattern.id, reflection);
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, ({ project }) => {
    const ordered: DeclarationReflection[] = [];
    for (const section of sections) {
      let module = modules.get(section.pattern.id);
      if (!module) {
        module = new DeclarationReflection(section.pattern.title, ReflectionKind.Module, project);
        project.registerReflection(module, undefined, undefined);
        project.addChild(module);
      }
      module.name = section.pattern.title;
      ordered.push(module);

      // The overview goes first; a module comment in index.ts (if any) follows it.
      const overviewPath = posix(section.overview);
      const { content } = app.converter.parseRawComment(
        new MinimalSourceFile(readFileSync(section.overview, "utf8"), overviewPath),
        project.files,
      );
      const own = module.comment;
      const documents = [
        ...(section.lesson ? [section.lesson] : []),
        ...section.steps.map((step) => stepPagePath(genDir, step)),
      ];
      const comment = new Comment(
        own?.summary.length
          ? [...content, { kind: "text", text: "\n\n" }, ...own.summary]
          : content,
        [
          ...(own?.blockTags ?? []),
          ...documents.map((file) => new CommentTag("@document", [{ kind: "text", text: file }])),
        ],
        own?.modifierTags,
      );
      comment.sourcePath = overviewPath;
      module.comment = comment;
      // Links to the overview or to the pattern's folder land on this page.
      project.files.registerReflectionPath(overviewPath, module);
      project.files.registerReflectionPath(
        posix(join(workbook.patternsDir, section.pattern.id)),
        module,
      );

      const before = module.documents?.length ?? 0;
      app.converter.processDocumentTags(module, module);
      nameDocuments(project, section, (module.documents ?? []).slice(before));
    }
    const others = (project.children ?? []).filter((c) => !ordered.includes(c));
    project.children = [...others, ...ordered];
  });
}

/**
 * Names the lesson (typedoc would call it "README"; step pages are titled by their frontmatter),
 * and lets a link to a step's README.md or folder reach the step's page.
 */
function nameDocuments(project: ProjectReflection, section: Section, docs: DocumentReflection[]) {
  const [lesson, ...stepDocs] = section.lesson ? docs : [undefined, ...docs];
  if (lesson) lesson.name = "Lesson";
  section.steps.forEach((step, i) => {
    const doc = stepDocs[i];
    if (!doc) return;
    project.files.registerReflectionPath(posix(step.readme), doc);
    project.files.registerReflectionPath(posix(step.exerciseDir), doc);
  });
}

/** Where docs/index.md wants the table of patterns (an HTML comment, invisible elsewhere). */
export const patternsMarker = "<!-- kata:patterns -->";

/**
 * Puts the generated table of patterns (`patterns.md`) into the home page where docs/index.md
 * has `<!-- kata:patterns -->`, or at its end. The table is parsed as a file of the build
 * folder, so its links reach the sections.
 */
function listPatternsOnHome(app: Application, table: string): void {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, ({ project }) => {
    if (!project.readme) return;
    const { content } = app.converter.parseRawComment(
      new MinimalSourceFile(readFileSync(table, "utf8"), posix(table)),
      project.files,
    );
    const block = [
      { kind: "text" as const, text: "\n\n" },
      ...content,
      { kind: "text" as const, text: "\n\n" },
    ];
    const at = project.readme.findIndex(
      (p) => p.kind === "text" && p.text.includes(patternsMarker),
    );
    const part = project.readme[at];
    if (!part) {
      project.readme.push(...block);
      return;
    }
    const [before = "", after = ""] = part.text.split(patternsMarker);
    project.readme.splice(at, 1, { kind: "text", text: before }, ...block, {
      kind: "text",
      text: after,
    });
  });
}

/** The bits of markdown-it's token model that `headingCodeInToc` touches. */
interface MdToken {
  type: string;
  content: string;
  children: MdToken[] | null;
}

/**
 * typedoc builds a page's "On this page" list and heading anchors from a heading's plain text
 * only, so "### `Lazy`: the synchronous singleton" is listed as ": the synchronous singleton".
 * This markdown-it rule gives inline code in headings a text child, which typedoc does read; the
 * code still renders as code.
 */
function headingCodeInToc(parser: {
  core: { ruler: { push(name: string, rule: (state: { tokens: MdToken[] }) => void): void } };
}): void {
  parser.core.ruler.push("kata-heading-code", ({ tokens }) => {
    tokens.forEach((token, i) => {
      if (token.type !== "inline" || tokens[i - 1]?.type !== "heading_open") return;
      for (const child of token.children ?? []) {
        if (child.type === "code_inline" && !child.children) {
          child.children = [{ type: "text", content: child.content, children: null }];
        }
      }
    });
  });
}

/** A Markdown file's first `# Title`, if it has one. */
const titleOf = (file: string): string | undefined =>
  existsSync(file) ? /^#\s+(.+?)\s*#*\s*$/m.exec(readFileSync(file, "utf8"))?.[1] : undefined;

const posix = (path: string): NormalizedPath =>
  resolve(path).split(sep).join("/") as NormalizedPath;

/** Every file under `dir`, recursively. */
const walk = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name))
    : [];

/**
 * Builds the site. Never exits and never throws for a broken workbook: read `ok` and `problems`.
 *
 * Each build works in a folder of its own under `docs-gen/` and moves the finished site into
 * place at the end, so two builds at once (a teacher's `npm run docs` while `verify` runs) do
 * not write over each other's files.
 */
export async function buildDocs(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const root = resolve(options.root ?? repoRoot);
  const out = resolve(options.out ?? join(root, "site"));
  const genRoot = resolve(options.genDir ?? join(root, "docs-gen"));
  const problems: string[] = [];
  removeStaleBuilds(genRoot);
  mkdirSync(genRoot, { recursive: true });
  const work = mkdtempSync(join(genRoot, "build-"));
  try {
    await build(root, join(work, "site"), work, problems);
    publish(join(work, "site"), out, work);
  } catch (error) {
    problems.push(`docs: the build failed: ${(error as Error).stack ?? error}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const written = existsSync(join(out, "index.html"));
  if (!written) problems.push(`docs: no ${rel(join(out, "index.html"), root)} was written`);
  const files = written ? walk(out) : [];
  return {
    ok: written && problems.length === 0,
    problems,
    seconds: (performance.now() - started) / 1000,
    pages: files.filter((f) => f.endsWith(".html")).length,
    bytes: files.reduce((n, f) => n + statSync(f).size, 0),
    out,
  };
}

/** Builds left behind by a killed process (an hour old), and anything else in `docs-gen/`. */
function removeStaleBuilds(genRoot: string): void {
  if (!existsSync(genRoot)) return;
  for (const entry of readdirSync(genRoot)) {
    const path = join(genRoot, entry);
    if (!entry.startsWith("build-") || Date.now() - statSync(path).mtimeMs > 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/**
 * Moves the site built in `staging` to `out`, replacing the previous one. A build that wrote no
 * site removes the previous one too: a stale site must not pass for a fresh one.
 */
function publish(staging: string, out: string, work: string): void {
  if (!existsSync(join(staging, "index.html"))) {
    rmSync(out, { recursive: true, force: true });
    return;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      if (existsSync(out)) renameSync(out, join(work, `previous-site-${attempt}`));
      renameSync(staging, out);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EXDEV") {
        // `out` is on another file system: copy instead of moving.
        rmSync(out, { recursive: true, force: true });
        cpSync(staging, out, { recursive: true });
        return;
      }
      // Another build put its site in place between our two renames: move it aside too.
      if (
        attempt >= 5 ||
        !["ENOTEMPTY", "EEXIST", "ENOENT", "EPERM", "EBUSY"].includes(code ?? "")
      ) {
        throw error;
      }
    }
  }
}

async function build(root: string, out: string, genDir: string, problems: string[]) {
  const workbook = await loadWorkbook(root);
  const entryPoints = workbook.catalog
    .map((p) => join(workbook.patternsDir, p.id, "index.ts"))
    .filter((f) => existsSync(f));
  const sections = generate(workbook, genDir, entryPoints);
  for (const section of sections) problems.push(...missingSources(workbook, section));

  const guidesDir = join(root, "docs");
  const home = join(guidesDir, "index.md");
  const documents = guides.map((name) => join(guidesDir, name));
  for (const file of [home, ...documents]) {
    if (!existsSync(file)) problems.push(`docs: no ${rel(file, root)}`);
  }
  // Any other page in docs/ (the benchmark report, say) follows the guides, by file name.
  const known = new Set<string>(["index.md", ...guides]);
  documents.push(...listFiles(guidesDir, (n) => n.endsWith(".md") && !known.has(n)));
  // The conventions for writing steps and patterns, which the Classroom guide links to.
  const contributing = join(root, "CONTRIBUTING.md");
  documents.push(contributing);

  const app = await Application.bootstrap(
    {
      options: join(repoRoot, "typedoc.json"),
      tsconfig: join(genDir, "tsconfig.json"),
      entryPoints,
      readme: existsSync(home) ? home : "none",
      projectDocuments: documents.filter((f) => existsSync(f)),
      out,
      customCss: join(assets, "site.css"),
      customJs: join(assets, "site.js"),
      favicon: join(assets, "favicon.svg"),
      markdownItLoader: headingCodeInToc,
    },
    [new TypeDocReader(), new TSConfigReader()],
  );
  if (app.logger.hasErrors() || app.logger.hasWarnings()) {
    problems.push("typedoc: the options were rejected (its messages are printed above)");
    return;
  }
  const logger = new CollectingLogger(root);
  logger.level = LogLevel.Warn;
  app.logger = logger;

  attachSections(app, workbook, sections, genDir);
  listPatternsOnHome(app, join(genDir, "patterns.md"));
  // typedoc names a document after its file; the guides are named after their title instead.
  const titles = new Map(documents.map((file) => [posix(file), titleOf(file)]));
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, ({ project }) => {
    for (const doc of project.documents ?? []) {
      const title = titles.get(project.files.getReflectionPath(doc) ?? ("" as NormalizedPath));
      if (title) doc.name = title;
    }
  });

  const project = await app.convert();
  if (project) {
    app.validate(project);
    await app.generateOutputs(project);
    // Diagrams render in the browser from the site's own copy of mermaid: no CDN, works offline.
    if (existsSync(join(out, "assets"))) {
      cpSync(mermaidBundle, join(out, "assets", "mermaid.min.js"));
    }
  }
  problems.push(...logger.lines);
  if (!project && logger.lines.length === 0) problems.push("typedoc: the conversion failed");
}

const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.round(bytes / 1024)} kB`;

/** The build in one line: `31 pages, 5.1 MB in 6.2 s → site/`. */
export const describeBuild = (result: BuildResult, root = repoRoot): string =>
  `${result.pages} pages, ${formatBytes(result.bytes)} in ${result.seconds.toFixed(1)} s → ${rel(
    result.out,
    root,
  )}/`;

// `npm run docs [-- --json]`: a summary (or the BuildResult as JSON, for a caller that runs the
// build in a process of its own) and exit code 1 on any problem.
if (isMain(import.meta.url)) {
  const json = process.argv.includes("--json");
  const result = await buildDocs();
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    for (const problem of result.problems) process.stderr.write(`✗ ${problem}\n`);
    process.stdout.write(
      result.ok
        ? `docs: ${describeBuild(result)}. Serve it with npm run docs:serve.\n`
        : `docs: ${result.problems.length} problem(s); ${describeBuild(result)}\n`,
    );
  }
  process.exitCode = result.ok ? 0 : 1;
}
