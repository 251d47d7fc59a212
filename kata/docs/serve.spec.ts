import fs, { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { choosePort, contentType, type RunningServer, serveSite } from "./serve";

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

  it("serves index.html for a folder and a file whatever the query string and fragment", async () => {
    expect((await get("/documents/")).body).toBe("<h1>documents</h1>");
    expect(await get("/documents/Lesson.html?x=1#intent")).toMatchObject({
      status: 200,
      type: "text/html; charset=utf-8",
      body: "<h1>lesson</h1>",
    });
  });

  it("decodes percent-encoded names", async () => {
    writeFileSync(join(site, "documents", "A b.html"), "spaced");
    expect((await get("/documents/A%20b.html")).body).toBe("spaced");
  });

  it("serves TypeScript sources as text, not as video/mp2t", async () => {
    writeFileSync(join(site, "subject.ts"), "export {};");
    expect((await get("/subject.ts")).type).toBe("text/plain; charset=utf-8");
  });

  it.each([
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/documents/..%2f..%2fsecret.txt",
    "/..\\secret.txt",
    "/index.html%00.png",
    "/%E0%A4%A",
    "/missing.html",
    "/empty/",
  ])("answers 404 for %s (outside the site, malformed or missing)", async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain("outside the site");
  });

  it.each([
    "//evil.example/..%2f",
    "//evil.example/%2e%2e",
    "//evil.example/..",
    "/%2fevil.example/..%2f",
    "/\\evil.example/..%2f",
    "//documents",
  ])("never redirects off the site: %s", async (path) => {
    const response = await get(path);
    expect(response.status).not.toBe(301);
    expect(response.location).toBeUndefined();
  });

  it("survives a file that vanishes between stat and read, and goes on serving", async () => {
    writeFileSync(join(site, "fleeting.html"), "here a moment");
    const statSync = fs.statSync;
    // The race made certain: the file is deleted right after the server has looked at it.
    const spy = vi.spyOn(fs, "statSync").mockImplementation(((
      ...args: Parameters<typeof statSync>
    ) => {
      const stats = statSync(...args);
      if (String(args[0]).endsWith("fleeting.html")) rmSync(join(site, "fleeting.html"));
      return stats;
    }) as typeof statSync);
    syncBuiltinESMExports(); // sirv reads node:fs through its ES module namespace
    try {
      const outcome = await get("/fleeting.html").then(
        (response) => `${response.status} ${response.body}`,
        (error: NodeJS.ErrnoException) => error.code,
      );
      expect(outcome).not.toBe("200 here a moment");
    } finally {
      spy.mockRestore();
      syncBuiltinESMExports();
    }
    expect((await get("/")).body).toBe("<h1>home</h1>");
  });
});
