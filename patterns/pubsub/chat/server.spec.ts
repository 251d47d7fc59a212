/**
 * The chat server, driven by real `ws` clients over 127.0.0.1 on a free port. Every wait is
 * bounded (a frame that never comes fails the test in 2 s, with what did come), and every
 * server and client is closed after each test.
 */
import { readFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type ChatServer, type ChatServerOptions, startChatServer } from "./server";
import { Client, sockets as clients, until, WAIT_MS } from "./spec-client";

let server: ChatServer;

async function start(options: ChatServerOptions = {}): Promise<ChatServer> {
  server = await startChatServer({ port: 0, host: "127.0.0.1", ...options });
  return server;
}

/** Two clients in the lobby, named Ada and Bob, with everything they were told so far taken. */
async function lobby(): Promise<[Client, Client]> {
  const ada = await Client.connect(server.wsUrl);
  const bob = await Client.connect(server.wsUrl);
  ada.send({ type: "name", name: "Ada" });
  bob.send({ type: "name", name: "Bob" });
  await Promise.all([ada.next("named"), bob.next("named")]);
  ada.send({ type: "join", room: "lobby" });
  await ada.next("joined");
  bob.send({ type: "join", room: "lobby" });
  await Promise.all([bob.next("joined"), ada.next("presence")]);
  return [ada, bob];
}

beforeEach(() => {
  clients.length = 0;
});

afterEach(async () => {
  for (const socket of clients) socket.terminate();
  await server?.close();
});

describe("the page", () => {
  beforeEach(async () => {
    await start();
  });

  it("is served from disk with its script and style, and a strict CSP", async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain('<script type="module" src="chat.js"></script>');

    const script = await fetch(new URL("chat.js", server.url));
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("new WebSocket(");
    const style = await fetch(new URL("chat.css", server.url));
    expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await style.text()).toBe(await readFile(new URL("chat.css", import.meta.url), "utf8"));
  });

  it("is also served as /index.html, uncached and not sniffed, with no referrer", async () => {
    const page = await fetch(new URL("index.html", server.url));

    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await page.text()).toBe(await readFile(new URL("index.html", import.meta.url), "utf8"));
  });

  it("answers HEAD with the headers and no body", async () => {
    const head = await fetch(server.url, { method: "HEAD" });

    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await head.text()).toBe("");
  });

  it("serves nothing else: 404, not even the server's own files, and 405 for POST", async () => {
    for (const path of ["/server.ts", "/../server.ts", "/%2e%2e/server.ts", "/chat.js.map"]) {
      const response = await fetch(`${server.url.slice(0, -1)}${path}`);
      expect(response.status, path).toBe(404);
    }
    const post = await fetch(server.url, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("says 404 in plain text, with the same security headers", async () => {
    const missing = await fetch(new URL("nope", server.url));

    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("text/plain");
    expect(missing.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await missing.text()).toBe("not found\n");
  });
});

describe("a connection", () => {
  beforeEach(async () => {
    await start({ rooms: ["lobby", "random"] });
  });

  it("is welcomed with its id, a guest name and the rooms", async () => {
    const socket = new WebSocket(server.wsUrl);
    clients.push(socket);
    const data = await new Promise<WebSocket.RawData>((resolve) =>
      socket.once("message", (message) => resolve(message)),
    );

    expect(JSON.parse(String(data))).toEqual({
      type: "welcome",
      id: expect.stringMatching(/^c\d+$/),
      name: expect.stringMatching(/^guest-\d+$/),
      rooms: ["lobby", "random"],
    });
  });

  it("gets the next id: c1, c2, …", async () => {
    const first = await Client.connect(server.wsUrl);
    const second = await Client.connect(server.wsUrl);

    expect([first.frames[0], second.frames[0]]).toMatchObject([
      { type: "welcome", id: "c1", name: "guest-1" },
      { type: "welcome", id: "c2", name: "guest-2" },
    ]);
  });

  it("joins a room and hears who is there; the others hear it joined", async () => {
    const [ada] = await lobby();
    const cy = await Client.connect(server.wsUrl);
    cy.send({ type: "join", room: "lobby" });

    const joined = await cy.next("joined");
    expect(joined.members.slice(0, 2)).toEqual(["Ada", "Bob"]);
    expect(await ada.next("presence")).toEqual({
      type: "presence",
      room: "lobby",
      name: expect.stringMatching(/^guest-/),
      action: "joined",
    });
  });

  it("sends a line to the other members of the room, not to other rooms, not back", async () => {
    const [ada, bob] = await lobby();
    const cy = await Client.connect(server.wsUrl);
    cy.send({ type: "join", room: "random" });
    await cy.next("joined");

    ada.send({ type: "send", room: "lobby", text: "hello, Bob" });

    expect(await ada.next("sent")).toEqual({ type: "sent", room: "lobby", recipients: 1 });
    expect(await bob.next("message")).toMatchObject({
      room: "lobby",
      name: "Ada",
      text: "hello, Bob",
      own: false,
      id: expect.any(String),
    });
    expect(ada.frames.some((f) => f.type === "message")).toBe(false);
    expect(cy.frames.some((f) => f.type === "message")).toBe(false);
  });

  it("echoes a member's own line when it joined with echo", async () => {
    const [ada, bob] = await lobby();
    bob.send({ type: "join", room: "random", echo: true });
    await bob.next("joined");

    bob.send({ type: "send", room: "random", text: "talking to myself" });

    expect(await bob.next("message")).toMatchObject({ text: "talking to myself", own: true });
    expect((await bob.next("sent")).recipients).toBe(1);
    expect(ada.frames.some((f) => f.type === "message")).toBe(false);
  });

  it("stops hearing a room it left, and the others hear it left", async () => {
    const [ada, bob] = await lobby();
    bob.send({ type: "leave", room: "lobby" });
    await bob.next("left");
    expect(await ada.next("presence")).toMatchObject({ name: "Bob", action: "left" });

    ada.send({ type: "send", room: "lobby", text: "anyone?" });

    expect((await ada.next("sent")).recipients).toBe(0);
    expect(bob.frames.some((f) => f.type === "message")).toBe(false);
  });

  it("leaves every room when it disconnects", async () => {
    const [ada, bob] = await lobby();
    bob.socket.close();

    expect(await ada.next("presence")).toMatchObject({ name: "Bob", action: "left" });
    expect(server.rooms.members("lobby").map((m) => m.name)).toEqual(["Ada"]);
  });
});

describe("a bad frame", () => {
  beforeEach(async () => {
    await start({ maxFrameLength: 512, maxTextLength: 100, maxPayload: 4096 });
  });

  it.each([
    ["invalid JSON", "{not json", "invalid-json"],
    ["a JSON array", "[1, 2]", "invalid-frame"],
    ["an unknown type", { type: "shout", room: "lobby" }, "unknown-type"],
    ["a frame without its room", { type: "join" }, "invalid-frame"],
    ["an unknown room", { type: "join", room: "nope" }, "unknown-room"],
    ["a room with a wildcard", { type: "join", room: "+" }, "unknown-room"],
    ["a room it has not joined", { type: "send", room: "random", text: "hi" }, "not-a-member"],
    ["a blank line", { type: "send", room: "lobby", text: "  " }, "invalid-text"],
    [
      "a line over maxTextLength",
      { type: "send", room: "lobby", text: "x".repeat(101) },
      "invalid-text",
    ],
    [
      "a frame over maxFrameLength",
      `{"type":"send","room":"lobby","text":"${"x".repeat(600)}"}`,
      "too-large",
    ],
    ["a bad name", { type: "name", name: "<img src=x>" }, "invalid-name"],
  ])("(%s) gets an error frame; the connection and the others carry on", async (_, frame, code) => {
    const [ada, bob] = await lobby();

    expect((await ada.refused(frame)).code).toBe(code);

    ada.send({ type: "send", room: "lobby", text: "still here" });
    expect(await bob.next("message")).toMatchObject({ text: "still here" });
  });

  it("(binary) gets an error frame too", async () => {
    const [ada] = await lobby();
    ada.socket.send(Buffer.from([1, 2, 3]), { binary: true });

    expect(await ada.next("error")).toMatchObject({
      code: "binary-not-supported",
      message: "send JSON text frames",
    });
  });

  it("(over maxPayload) closes that connection with 1009, and only that one", async () => {
    const [ada, bob] = await lobby();
    ada.send("x".repeat(5000));

    expect(await ada.closed()).toBe(1009);
    expect(await bob.next("presence")).toMatchObject({ name: "Ada", action: "left" });
    const cy = await Client.connect(server.wsUrl);
    cy.send({ type: "join", room: "lobby" });
    expect((await cy.next("joined")).members).toEqual(["Bob", expect.stringMatching(/^guest-/)]);
  });
});

describe("the log", () => {
  it("tells of connections and disconnections, and of nothing a client merely got wrong", async () => {
    const log: string[] = [];
    await start({ log: (line) => log.push(line) });
    const ada = await Client.connect(server.wsUrl);
    expect((await ada.refused({ type: "join", room: "nope" })).code).toBe("unknown-room");

    ada.socket.close(1000);
    await until(() => log.length === 2, "the disconnection");

    expect(log).toEqual(["c1 connected", "c1 disconnected (1000)"]);
  });

  it("tells of a socket error, such as a frame over maxPayload", async () => {
    const log: string[] = [];
    await start({ maxPayload: 1024, log: (line) => log.push(line) });
    const ada = await Client.connect(server.wsUrl);

    ada.send("x".repeat(2000));

    expect(await ada.closed()).toBe(1009);
    expect(log).toContainEqual(expect.stringMatching(/^c1 socket error: /));
  });

  it("answers a frame whose handling failed with internal-error, and logs the failure", async () => {
    const log: string[] = [];
    await start({ log: (line) => log.push(line) });
    server.rooms.broker.subscribe("chat.lobby.presence", () => {
      throw new Error("audit trail down");
    });
    const ada = await Client.connect(server.wsUrl);

    expect(await ada.refused({ type: "join", room: "lobby" })).toEqual({
      type: "error",
      code: "internal-error",
      message: "the server could not handle that frame",
    });
    expect(log).toContainEqual(expect.stringContaining("c1: AggregateError"));

    ada.socket.close(1000);
    await until(() => log.some((line) => line.includes("disconnected")), "the disconnection");
    expect(log).toContainEqual(expect.stringMatching(/^c1: leaving its rooms failed: /));
  });
});

describe("the WebSocket endpoint", () => {
  beforeEach(async () => {
    await start();
  });

  it("refuses a page from another origin (cross-site WebSocket hijacking)", async () => {
    const socket = new WebSocket(server.wsUrl, { origin: "https://evil.example" });
    clients.push(socket);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.once("unexpected-response", (_request, response) => resolve(response.statusCode));
      socket.once("error", () => resolve(undefined));
    });

    expect(status).toBe(403);
  });

  it("refuses an Origin that is no URL, such as a sandboxed page's null", async () => {
    const socket = new WebSocket(server.wsUrl, { origin: "null" });
    clients.push(socket);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.once("unexpected-response", (_request, response) => resolve(response.statusCode));
      socket.once("error", () => resolve(undefined));
    });

    expect(status).toBe(403);
  });

  it("accepts a page of its own origin", async () => {
    const client = await Client.connect(server.wsUrl, { origin: server.url.slice(0, -1) });
    expect(client.frames[0]?.type).toBe("welcome");
  });

  it("lives on /ws only", async () => {
    const socket = new WebSocket(server.wsUrl.replace("/ws", "/chat"));
    clients.push(socket);
    const outcome = await new Promise<string>((resolve) => {
      socket.once("open", () => resolve("open"));
      socket.once("unexpected-response", (_request, response) =>
        resolve(`refused with ${response.statusCode}`),
      );
      socket.once("error", () => resolve("refused"));
    });

    expect(outcome).toBe("refused with 404");
  });
});

describe("the server", () => {
  it("drops a client that stops answering pings", async () => {
    await start({ heartbeatMs: 50 });
    const silent = await Client.connect(server.wsUrl, { autoPong: false });
    const lively = await Client.connect(server.wsUrl);

    expect(await silent.closed()).toBe(1006);
    expect(lively.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("closes every connection with 1001 and stops listening", async () => {
    await start();
    const ada = await Client.connect(server.wsUrl);
    const closed = ada.closed();
    const reason = new Promise<string>((resolve) =>
      ada.socket.once("close", (_code, why) => resolve(String(why))),
    );

    await server.close();

    expect(await closed).toBe(1001);
    expect(await reason).toBe("server shutting down");
    await expect(fetch(server.url)).rejects.toThrow();
    await server.close(); // twice is fine
  });

  it("listens on 127.0.0.1 unless told otherwise", async () => {
    server = await startChatServer({ port: 0 });

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  });

  it("closes a connection that sends more than 64 KiB in one frame, by default", async () => {
    await start();
    const ada = await Client.connect(server.wsUrl);

    ada.send("x".repeat(65 * 1024));

    expect(await ada.closed()).toBe(1009);
  });

  it.each([
    [{ rateLimit: { burst: 0, perSecond: 5 } }, "`options.rateLimit` must be"],
    [{ rateLimit: { burst: 5, perSecond: Number.NaN } }, "`options.rateLimit` must be"],
    [{ rateLimit: null }, "`options.rateLimit` must be { burst: a number ≥ 1"],
    [{ maxConnectionsPerAddress: 0 }, "`options.maxConnectionsPerAddress` must be a positive"],
    [{ maxConnectionsPerAddress: 1.5 }, "got 1.5"],
    [{ allowedHosts: "localhost" }, '`options.allowedHosts` must be an array of host names, got "'],
    [{ allowedHosts: [""] }, "`options.allowedHosts` must be an array of host names"],
  ])("refuses a bad limit (%o) with a TypeError naming it", async (bad, message) => {
    await expect(startChatServer({ port: 0, ...(bad as ChatServerOptions) })).rejects.toThrow(
      new TypeError(message).message,
    );
    await start(); // for afterEach
  });

  it("fails to start on a port in use, with EADDRINUSE", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(startChatServer({ port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    await start(); // for afterEach
  });
});

/** A raw HTTP request over TCP: for targets and headers no well-behaved client would send. */
function raw(url: string, lines: readonly string[]): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${WAIT_MS} ms; got ${JSON.stringify(answer)}`));
    }, WAIT_MS);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      answer += chunk;
      if (answer.includes("\r\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf("\r\n")));
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

const upgrade = (target: string, host: string) => [
  `GET ${target} HTTP/1.1`,
  `Host: ${host}`,
  "Upgrade: websocket",
  "Connection: Upgrade",
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
  "Sec-WebSocket-Version: 13",
];

/** The status a WebSocket handshake earns, or "open". */
function handshake(url: string, options?: WebSocket.ClientOptions): Promise<string> {
  const socket = new WebSocket(url, options);
  clients.push(socket);
  return new Promise((resolve) => {
    socket.once("open", () => resolve("open"));
    socket.once("unexpected-response", (_request, response) =>
      resolve(String(response.statusCode)),
    );
    socket.once("error", (error) => resolve(error.message));
  });
}

describe("an attack", () => {
  describe("(a request target that is no URL)", () => {
    beforeEach(async () => {
      await start();
    });

    it.each(["http://localhost:99999/ws", "//[/ws"])(
      "upgrading to %s is answered 400, and the server carries on",
      async (target) => {
        const host = new URL(server.url).host;
        expect(await raw(server.url, upgrade(target, host))).toBe("HTTP/1.1 400 Bad Request");

        const ada = await Client.connect(server.wsUrl);
        expect(ada.frames[0]?.type).toBe("welcome");
      },
    );

    it("asking for the page at such a target is answered 400 too", async () => {
      const host = new URL(server.url).host;
      expect(await raw(server.url, ["GET //[/ HTTP/1.1", `Host: ${host}`])).toBe(
        "HTTP/1.1 400 Bad Request",
      );
    });
  });

  describe("(DNS rebinding: a hostile page's name resolved to 127.0.0.1)", () => {
    it("is refused by the host allow-list, although its Origin matches its Host", async () => {
      await start();
      const { port } = new URL(server.url);
      const status = await handshake(server.wsUrl, {
        headers: { host: `evil.example:${port}` },
        origin: `http://evil.example:${port}`,
      });

      expect(status).toBe("403");
      expect(await raw(server.url, ["GET / HTTP/1.1", `Host: evil.example:${port}`])).toBe(
        "HTTP/1.1 403 Forbidden",
      );
    });

    it("lets in the names on allowedHosts, in any case, on any port", async () => {
      await start({ allowedHosts: ["chat.example"] });
      const { port } = new URL(server.url);

      expect(
        await handshake(server.wsUrl, {
          headers: { host: `Chat.Example:${port}` },
          origin: `http://chat.example:${port}`,
        }),
      ).toBe("open");
      expect(await handshake(server.wsUrl)).toBe("403"); // 127.0.0.1 is not on this list
    });

    it("answers to localhost and 127.0.0.1 by default", async () => {
      await start();
      const { port } = new URL(server.url);
      expect(await handshake(`ws://localhost:${port}/ws`)).toBe("open");
      expect(await handshake(server.wsUrl)).toBe("open");
    });
  });

  describe("(a flood of frames from one member)", () => {
    let clock: number;

    beforeEach(async () => {
      clock = 0;
      await start({ rateLimit: { burst: 3, perSecond: 2 }, now: () => clock });
    });

    it("relays a burst only up to the limit, and says so once", async () => {
      const [ada, bob] = await lobby();
      clock += 10_000; // the lobby's frames are forgotten: a full bucket
      for (let i = 1; i <= 8; i++) ada.send({ type: "send", room: "lobby", text: `line ${i}` });
      ada.send({ type: "name", name: "Ada again" }); // every frame counts, not just lines
      await ada.next("error");
      clock += 500; // one more frame's worth
      ada.send({ type: "send", room: "lobby", text: "after" });

      expect(await bob.next("message")).toMatchObject({ text: "line 1" });
      await bob.next("message");
      await bob.next("message");
      expect(await bob.next("message")).toMatchObject({ text: "after" });
      expect(ada.frames.find((f) => f.type === "error")).toEqual({
        type: "error",
        code: "rate-limited",
        message: "slow down: at most 3 frames at once, 2 a second; frames dropped",
      });
      await ada.next("sent"); // "after" went through
      expect(ada.frames.filter((f) => f.type === "error")).toHaveLength(1);
      expect(bob.frames.filter((f) => f.type === "message").map((f) => f.type)).toHaveLength(4);
    });

    it("limits each connection on its own", async () => {
      const [ada, bob] = await lobby();
      clock += 10_000;
      for (let i = 1; i <= 5; i++) ada.send({ type: "send", room: "lobby", text: `ada ${i}` });
      await ada.next("error");

      bob.send({ type: "send", room: "lobby", text: "bob is fine" });
      expect(await ada.next("message")).toMatchObject({ text: "bob is fine" });
    });
  });

  describe("(many connections from one address)", () => {
    it("welcomes one over maxConnectionsPerAddress with an error frame and closes it", async () => {
      const log: string[] = [];
      await start({ maxConnectionsPerAddress: 2, log: (line) => log.push(line) });
      const first = await Client.connect(server.wsUrl);
      await Client.connect(server.wsUrl);

      const socket = new WebSocket(server.wsUrl);
      clients.push(socket);
      const frame = new Promise<unknown>((resolve) =>
        socket.once("message", (data) => resolve(JSON.parse(String(data)))),
      );
      const code = new Promise<number>((resolve) => socket.once("close", resolve));

      expect(await frame).toEqual({
        type: "error",
        code: "too-many-connections",
        message: "at most 2 connections per address",
      });
      expect(await code).toBe(1008);
      expect(log).toContain("refused a connection from 127.0.0.1: it has 2 already");

      first.socket.close(1000);
      await until(() => log.includes("c1 disconnected (1000)"), "the server seeing c1 go");
      const again = await Client.connect(server.wsUrl);
      expect(again.frames[0]).toMatchObject({ type: "welcome", id: "c3" });
    });

    it("allows 16 by default", async () => {
      await start();
      const all = await Promise.all(Array.from({ length: 16 }, () => Client.connect(server.wsUrl)));
      expect(all).toHaveLength(16);
      expect(await handshakeRefused(server.wsUrl)).toBe("too-many-connections");
    });
  });

  describe("(taking a connected member's name)", () => {
    beforeEach(async () => {
      await start();
    });

    it.each([
      ["the same name", "Ada"],
      ["another case", "ADA"],
      ["a Cyrillic А", "\u0410da"],
      ["fullwidth letters", "\uff21\uff44\uff41"],
      ["a capital I for an l", "AdaI"],
      ["a separator more", "A.da"],
    ])("is refused with name-taken (%s)", async (_, name) => {
      const [, bob] = await lobby();
      if (name === "AdaI") {
        const cy = await Client.connect(server.wsUrl);
        cy.send({ type: "name", name: "Adal" });
        await cy.next("named");
        expect((await bob.refused({ type: "name", name })).code).toBe("name-taken");
        return;
      }
      expect(await bob.refused({ type: "name", name })).toMatchObject({
        type: "error",
        code: "name-taken",
      });
    });

    it("frees the name when its holder disconnects or renames", async () => {
      const [ada, bob] = await lobby();
      ada.send({ type: "name", name: "Ada L" });
      await ada.next("named");
      bob.send({ type: "name", name: "Ada" });
      expect(await bob.next("named")).toEqual({ type: "named", name: "Ada" });

      bob.socket.close(1000);
      await bob.closed();
      const cy = await Client.connect(server.wsUrl);
      await until(() => server.rooms.members("lobby").length === 1, "Bob leaving");
      cy.send({ type: "name", name: "Ada" });
      expect(await cy.next("named")).toEqual({ type: "named", name: "Ada" });
    });

    it("lets a member keep its own name, in another case", async () => {
      const [ada] = await lobby();
      ada.send({ type: "name", name: "ADA" });
      expect(await ada.next("named")).toEqual({ type: "named", name: "ADA" });
    });

    it("stores names NFKC-normalised", async () => {
      const ada = await Client.connect(server.wsUrl);
      ada.send({ type: "name", name: "\uff21\uff44\uff41 \ufb01" });
      expect(await ada.next("named")).toEqual({ type: "named", name: "Ada fi" });
    });

    it.each([
      ["a Hangul filler, a letter drawn as nothing", "\u3164"],
      ["a halfwidth Hangul filler", "Ada\uffa0"],
      ["a zero-width space", "A\u200bda"],
      ["a right-to-left override", "\u202eAda"],
    ])("refuses an invisible character (%s)", async (_, name) => {
      const ada = await Client.connect(server.wsUrl);
      expect((await ada.refused({ type: "name", name })).code).toBe("invalid-name");
    });

    it("does not hand a guest name someone has taken", async () => {
      const ada = await Client.connect(server.wsUrl);
      ada.send({ type: "name", name: "guest-2" });
      await ada.next("named");
      const bob = await Client.connect(server.wsUrl);
      expect(bob.frames[0]).toMatchObject({ type: "welcome", id: "c2", name: "guest-2-2" });
    });
  });

  describe("(control characters in a line)", () => {
    it("strips them before relaying, for the others and for the server's subscribers", async () => {
      await start();
      const seen: string[] = [];
      server.rooms.broker.subscribe("chat.+.message", (m) => void seen.push(m.payload.text));
      const [ada, bob] = await lobby();

      ada.send({ type: "send", room: "lobby", text: "hi\u001b[2J\r\nthere\u202e!\u0007" });

      expect((await bob.next("message")).text).toBe("hi[2J there!");
      expect(seen).toEqual(["hi[2J there!"]);
    });

    it("refuses a line of nothing but control characters as blank", async () => {
      await start();
      const [ada] = await lobby();
      expect((await ada.refused({ type: "send", room: "lobby", text: "\u001b\u0007" })).code).toBe(
        "invalid-text",
      );
    });

    it("shows them as escapes in the log", async () => {
      const log: string[] = [];
      await start({ log: (line) => log.push(line) });
      server.rooms.broker.subscribe("chat.lobby.presence", async () => {
        throw new Error("audit trail \u001b[2J\u202e down");
      });
      const ada = await Client.connect(server.wsUrl);
      ada.send({ type: "join", room: "lobby" });

      await until(() => log.some((l) => l.includes("audit trail")), "the failure's log line");
      const line = log.find((l) => l.includes("audit trail"));
      expect(line).toMatch(/^async handler failed: .*: audit trail \\x1b\[2J\\u202e down$/);
      expect(line).not.toContain("\u001b");
    });
  });
});

/** Opens a socket over the cap and returns the error code it is welcomed with. */
async function handshakeRefused(url: string): Promise<string> {
  const socket = new WebSocket(url);
  clients.push(socket);
  const frame = await new Promise<{ code?: string }>((resolve) =>
    socket.once("message", (data) => resolve(JSON.parse(String(data)) as { code?: string })),
  );
  return frame.code ?? "no code";
}
