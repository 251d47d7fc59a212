import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choosePort, contentType, type RunningServer, resolveRequest, serveSite } from "./serve";

let root: string;
let site: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kata-serve-"));
  site = join(root, "site");
  mkdirSync(join(site, "documents"), { recursive: true });
  mkdirSync(join(site, "empty"), { recursive: true });
  writeFileSync(join(site, "index.html"), "<h1>home</h1>");
  writeFileSync(join(site, "documents", "index.html"), "<h1>documents</h1>");
  writeFileSync(join(site, "documents", "Lesson.html"), "<h1>lesson</h1>");
  writeFileSync(join(root, "secret.txt"), "outside the site");
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("resolveRequest()", () => {
  it("serves index.html for the site's root and for a folder", () => {
    expect(resolveRequest(site, "/")).toBe(join(site, "index.html"));
    expect(resolveRequest(site, "/documents/")).toBe(join(site, "documents", "index.html"));
  });

  it("serves a file, ignoring the query string and the fragment", () => {
    expect(resolveRequest(site, "/documents/Lesson.html?x=1#intent")).toBe(
      join(site, "documents", "Lesson.html"),
    );
  });

  it("decodes percent-encoded names", () => {
    writeFileSync(join(site, "documents", "A b.html"), "");
    expect(resolveRequest(site, "/documents/A%20b.html")).toBe(join(site, "documents", "A b.html"));
  });

  it("refuses paths that climb out of the site, encoded or not", () => {
    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/documents/..%2f..%2fsecret.txt",
    ]) {
      expect(resolveRequest(site, path), path).toBeUndefined();
    }
  });

  it("refuses backslashes, NUL bytes and malformed encodings", () => {
    for (const path of ["/..\\secret.txt", "/index.html%00.png", "/%E0%A4%A"]) {
      expect(resolveRequest(site, path), path).toBeUndefined();
    }
  });

  it("finds nothing for a missing file or a folder without index.html", () => {
    expect(resolveRequest(site, "/missing.html")).toBeUndefined();
    expect(resolveRequest(site, "/empty/")).toBeUndefined();
  });
});

describe("contentType()", () => {
  it("names the types a typedoc site serves", () => {
    expect(contentType("a/index.html")).toBe("text/html; charset=utf-8");
    expect(contentType("assets/main.js")).toBe("text/javascript; charset=utf-8");
    expect(contentType("assets/style.css")).toBe("text/css; charset=utf-8");
    expect(contentType("assets/icons.svg")).toBe("image/svg+xml");
    expect(contentType("FAVICON.ICO")).toBe("image/x-icon");
  });

  it("serves TypeScript sources as text, not as video/mp2t", () => {
    expect(contentType("media/subject.ts")).toBe("text/plain; charset=utf-8");
  });

  it("falls back to bytes for an unknown extension", () => {
    expect(contentType("data.bin")).toBe("application/octet-stream");
  });
});

describe("choosePort()", () => {
  it("prefers --port, then PORT, then 4173", () => {
    expect(choosePort("8080", "9090")).toBe(8080);
    expect(choosePort(undefined, "9090")).toBe(9090);
    expect(choosePort(undefined, undefined)).toBe(4173);
  });

  it("rejects a port that is not an integer from 0 to 65535, naming it", () => {
    expect(() => choosePort("http", undefined)).toThrow(RangeError);
    expect(() => choosePort("70000", undefined)).toThrow(/"70000"/);
    expect(() => choosePort(undefined, "-1")).toThrow(/port must be an integer/);
  });
});

describe("serveSite()", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await serveSite(site, 0);
  });

  afterAll(async () => {
    await server.close();
  });

  /** A raw request: unlike fetch(), it does not tidy `..` out of the path first. */
  const get = (path: string, method = "GET") =>
    new Promise<{ status: number; type: string | undefined; location?: string; body: string }>(
      (resolve, reject) => {
        const req = request({ host: "127.0.0.1", port: server.port, path, method }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers["content-type"],
              location: res.headers.location,
              body,
            }),
          );
        });
        req.on("error", reject);
        req.end();
      },
    );

  it("listens on 127.0.0.1 on the port it was given (0: any free one)", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it("serves the home page as HTML", async () => {
    const response = await get("/");
    expect(response).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(response.body).toBe("<h1>home</h1>");
  });

  it("answers 404 for a missing page and for a path outside the site", async () => {
    expect((await get("/missing.html")).status).toBe(404);
    const outside = await get("/../secret.txt");
    expect(outside.status).toBe(404);
    expect(outside.body).not.toContain("outside the site");
  });

  it("redirects a folder without its trailing slash, so relative links resolve", async () => {
    expect(await get("/documents")).toMatchObject({ status: 301, location: "/documents/" });
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    expect(await get("/", "HEAD")).toMatchObject({ status: 200, body: "" });
    expect((await get("/", "POST")).status).toBe(405);
  });
});
