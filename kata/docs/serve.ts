/**
 * `npm run docs:serve [-- --port 4173]`: serves the built site (`site/`, from `npm run docs`) on
 * 127.0.0.1. A small static server on node:http: the right content type per file, `index.html`
 * for folders, and nothing outside the site's folder, whatever the URL says. Port: `--port`, then
 * the `PORT` variable, then 4173; port 0 picks a free one.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { repoRoot } from "../layout";

/** Content types by extension; anything else is served as bytes. */
export const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  // Source files linked from the docs are for reading, not for running (and `.ts` is not video).
  ".ts": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
};

export const contentType = (file: string): string =>
  contentTypes[extname(file).toLowerCase()] ?? "application/octet-stream";

/**
 * The file under `root` that serves `urlPath`, or `undefined` when the path leaves `root` (`..`,
 * encoded or not, backslashes, NUL) or names nothing. A folder serves its `index.html`.
 */
export function resolveRequest(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? "/");
  } catch {
    return undefined; // malformed %-encoding
  }
  if (path.includes("\0") || path.includes("\\")) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${path.startsWith("/") ? path : `/${path}`}`);
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  if (!existsSync(file)) return undefined;
  const stats = statSync(file);
  if (stats.isFile()) return file;
  if (stats.isDirectory()) {
    const index = join(file, "index.html");
    return existsSync(index) && statSync(index).isFile() ? index : undefined;
  }
  return undefined;
}

export interface RunningServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1:`port` (0: any free port) until `close()`. */
export function serveSite(root: string, port = 0): Promise<RunningServer> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": contentTypes[".txt"] });
      response.end("405 method not allowed\n");
      return;
    }
    const url = request.url ?? "/";
    const file = resolveRequest(root, url);
    if (!file) {
      response.writeHead(404, { "content-type": contentTypes[".txt"] });
      response.end(`404 not found: ${url}\n`);
      return;
    }
    // A folder without its trailing slash: redirect, so the page's relative links resolve.
    const path = url.split(/[?#]/)[0] ?? "/";
    if (file.endsWith(`${sep}index.html`) && !path.endsWith("/") && !path.endsWith("index.html")) {
      response.writeHead(301, { location: `${path}/` });
      response.end();
      return;
    }
    response.writeHead(200, {
      "content-type": contentType(file),
      "content-length": statSync(file).size,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    createReadStream(file).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const actual = (server.address() as AddressInfo).port;
      resolvePromise({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}/`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
  });
}

/** The port to use: `--port`, then `PORT`, then 4173. */
export function choosePort(flag: string | undefined, env: string | undefined): number {
  const raw = flag ?? env ?? "4173";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: "string" }, dir: { type: "string" } },
  });
  const dir = resolve(values.dir ?? join(repoRoot, "site"));
  if (!existsSync(join(dir, "index.html"))) {
    process.stderr.write(`No site in ${dir}: build it first with npm run docs.\n`);
    process.exit(1);
  }
  let port: number;
  try {
    port = choosePort(values.port, process.env.PORT);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const running = await serveSite(dir, port).catch((error: NodeJS.ErrnoException) => {
    process.stderr.write(
      error.code === "EADDRINUSE"
        ? `Port ${port} is in use: try npm run docs:serve -- --port ${port + 1}\n`
        : `${error.message}\n`,
    );
    process.exit(1);
  });
  process.stdout.write(`Serving ${dir} at ${running.url} (Ctrl-C to stop)\n`);
  process.once("SIGINT", () => void running.close().then(() => process.exit(0)));
}
