/**
 * What the demos' small web pages (the chat, the jobs dashboard) share: the headers that keep a
 * page to its own files and host, and serving those few files from the server's folder.
 * Internal: no pattern's `index.ts` re-exports it.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A page's files by URL path: the file beside the server module, and its content type. */
export type PageFiles = Readonly<Record<string, { readonly file: string; readonly type: string }>>;

/** The page loads only its own files and talks only to its own host (ws: included): no CDN. */
export const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;

/**
 * Answers a GET or HEAD for `path` with one of `files`, read fresh from disk (edit and reload)
 * relative to `base` (the server module's `import.meta.url`); anything else is 405, an unknown
 * path 404.
 */
export async function servePage(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  files: PageFiles,
  base: string,
): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", ...SECURITY_HEADERS }).end();
    return;
  }
  const entry = files[path];
  if (entry === undefined) {
    response
      .writeHead(404, { "content-type": "text/plain", ...SECURITY_HEADERS })
      .end("not found\n");
    return;
  }
  const body = await readFile(new URL(entry.file, base));
  response.writeHead(200, {
    "content-type": entry.type,
    "content-length": body.length,
    "cache-control": "no-cache",
    ...SECURITY_HEADERS,
  });
  response.end(request.method === "HEAD" ? undefined : body);
}
