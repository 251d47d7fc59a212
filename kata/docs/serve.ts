/**
 * `npm run docs:serve [-- --port 4173]`: serves the built site (`site/`, from `npm run docs`) on
 * 127.0.0.1 with sirv, the ecosystem's usual small static server: it keeps every request inside
 * the site's folder and reads files fresh from disk (`dev`), so a rebuilt site is served at once.
 * Around it: our content types (a `.ts` source is text, not video), a redirect from a folder to
 * its trailing slash built from the file system (never from the request, so it cannot leave the
 * site), and a read that fails after `stat` (a file deleted by a rebuild) ends that one response,
 * not the server. Port: `--port`, then the `PORT` variable, then 4173; port 0 picks a free one.
 */
import { existsSync, type ReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import sirv from "sirv";
import { isMain } from "../command";
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
 * The path a folder request should be redirected to (its canonical form plus `/`), or `undefined`
 * when `pathname` does not name, exactly, a folder of the site that has an `index.html`. The
 * answer is built from the folder's path on disk, so no request (`//evil.example/..%2f`) can make
 * it point off the site.
 */
function folderRedirect(root: string, pathname: string): string | undefined {
  if (pathname.endsWith("/")) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined; // malformed %-encoding: sirv answers 404
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const folder = resolve(root, `.${decoded}`);
  const rel = relative(root, folder);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  const canonical = `/${rel.split(sep).join("/")}`;
  // Only the folder's own name redirects; `/a/../b`, `//b` and friends are not tidied into it.
  if (decoded !== canonical) return undefined;
  if (!isFile(join(folder, "index.html"))) return undefined;
  return `/${rel.split(sep).map(encodeURIComponent).join("/")}/`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const notFound = (request: IncomingMessage, response: ServerResponse): void => {
  response.writeHead(404, { "content-type": contentTypes[".txt"] ?? "text/plain" });
  response.end(`404 not found: ${JSON.stringify(request.url ?? "/")}\n`);
};

export interface RunningServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1:`port` (0: any free port) until `close()`. */
export function serveSite(root: string, port = 0): Promise<RunningServer> {
  const base = resolve(root);
  const files = sirv(base, {
    dev: true, // fresh from disk on every request: the site is rebuilt while it is served
    etag: true, // with dev, this also sets `cache-control: no-cache`
    extensions: ["html"], // `/` and `/a/` serve their index.html
    onNoMatch: notFound,
    setHeaders: (response, pathname) => {
      // sirv passes the request's path: one without an extension was answered with an
      // index.html or a `.html` file, unless a file of exactly that name exists.
      const named = extname(pathname) !== "" || isFile(join(base, pathname));
      response.setHeader("content-type", contentType(named ? pathname : "index.html"));
      response.setHeader("x-content-type-options", "nosniff");
    },
  });
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": contentTypes[".txt"] });
      response.end("405 method not allowed\n");
      return;
    }
    const pathname = (request.url ?? "/").split(/[?#]/)[0] ?? "/";
    const location = folderRedirect(base, pathname);
    if (location !== undefined) {
      response.writeHead(301, { location });
      response.end();
      return;
    }
    // sirv stats the file, writes the headers, then pipes a read stream into the response without
    // listening for the stream's errors: a file that vanishes in between would throw from an
    // unheard 'error' event and end the process. The headers are gone by then, so the one honest
    // answer left is to cut that response short.
    response.once("pipe", (source: ReadStream) => {
      source.once("error", () => response.destroy());
    });
    files(request, response);
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

if (isMain(import.meta.url)) {
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
