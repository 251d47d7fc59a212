/**
 * The chat server: a WebSocket endpoint (`/ws`, the `ws` package) where every connection is a
 * member of {@link ChatRooms}, and a plain `node:http` server for the browser page
 * (`index.html`, `chat.js`, `chat.css`, read from this folder).
 *
 * A bad frame (not JSON, unknown type or room, too large, binary) is answered with an error frame;
 * it never closes the connection, disturbs another client or crashes the server. A frame larger
 * than `maxPayload` is the one exception: `ws` closes that connection (code 1009) without reading it.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { Broker } from "../broker";
import { type ClientFrame, ProtocolError, parseClientFrame, type ServerFrame } from "./protocol";
import {
  type ChatEvent,
  ChatRooms,
  type ChatTopics,
  NotAMemberError,
  UnknownRoomError,
} from "./rooms";

// #region options
/**
 * Options of {@link startChatServer}.
 *
 * @example
 * ```ts
 * const server = await startChatServer({ port: 0, rooms: ["lobby", "help"] });
 * ```
 */
export interface ChatServerOptions {
  /** TCP port; 0 picks a free one (tests). Default 8080. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`: reachable from this machine only. */
  readonly host?: string;
  /** The rooms. Default: lobby, random, typescript. */
  readonly rooms?: readonly string[];
  /** The largest frame a socket reads, in bytes; a larger one closes it (1009). Default 64 KiB. */
  readonly maxPayload?: number;
  /** The largest frame answered normally, in characters; larger ones get `too-large`. Default 4096. */
  readonly maxFrameLength?: number;
  /** The longest chat line, in characters. Default 1000. */
  readonly maxTextLength?: number;
  /** How often to ping clients and drop those that did not answer the last ping. Default 30 s. */
  readonly heartbeatMs?: number;
  /** A client whose unsent data exceeds this many bytes is too slow and is dropped. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Where the server logs (connections, errors). Default: nowhere. */
  readonly log?: (line: string) => void;
}

/**
 * A running chat server.
 *
 * @example
 * ```ts
 * const { url, wsUrl, close } = await startChatServer({ port: 0 });
 * console.log(`open ${url}`); // http://127.0.0.1:41234/
 * await close();
 * ```
 */
export interface ChatServer {
  /** The page: `http://host:port/`. */
  readonly url: string;
  /** The WebSocket endpoint: `ws://host:port/ws`. */
  readonly wsUrl: string;
  /** The rooms and their broker, to watch or drive the chat from the server side. */
  readonly rooms: ChatRooms;
  /** Closes every connection (code 1001) and the server. */
  close(): Promise<void>;
}
// #endregion options

const STATIC: Readonly<Record<string, { file: string; type: string }>> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/chat.js": { file: "chat.js", type: "text/javascript; charset=utf-8" },
  "/chat.css": { file: "chat.css", type: "text/css; charset=utf-8" },
};

const SECURITY_HEADERS = {
  // The page loads only its own files and talks only to its own host (ws: included).
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * Serves the page's three files from this folder, fresh from disk on every request (edit and
 * reload). Anything else is 404; anything but GET and HEAD is 405.
 */
async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", ...SECURITY_HEADERS }).end();
    return;
  }
  const entry = STATIC[path];
  if (entry === undefined) {
    response
      .writeHead(404, { "content-type": "text/plain", ...SECURITY_HEADERS })
      .end("not found\n");
    return;
  }
  const body = await readFile(new URL(entry.file, import.meta.url));
  response.writeHead(200, {
    "content-type": entry.type,
    "content-length": body.length,
    "cache-control": "no-cache",
    ...SECURITY_HEADERS,
  });
  response.end(request.method === "HEAD" ? undefined : body);
}

/**
 * Refuses a browser page from another site: WebSockets are not bound by the same-origin policy,
 * so without this check any web page the user visits could chat in their name (cross-site
 * WebSocket hijacking). Clients that send no Origin (scripts, tests) are let in.
 */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

// #region start
/**
 * Starts the chat: the page on `url`, the WebSocket endpoint on `wsUrl`.
 *
 * @throws Whatever `listen()` fails with (a port in use: `EADDRINUSE`).
 *
 * @example
 * ```ts
 * const server = await startChatServer({ port: 8080 });
 * process.once("SIGINT", () => void server.close());
 * ```
 */
export async function startChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const {
    port = 8080,
    host = "127.0.0.1",
    rooms: roomNames = ["lobby", "random", "typescript"],
    maxPayload = 64 * 1024,
    maxFrameLength = 4096,
    maxTextLength = 1000,
    heartbeatMs = 30_000,
    maxBufferedBytes = 1024 * 1024,
    log = () => {},
  } = options;
  const broker = new Broker<ChatTopics>({
    onError: (error) => log(`async handler failed: ${error.message}`),
  });
  const rooms = new ChatRooms({ rooms: roomNames, maxTextLength, broker });
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  const http = createServer((request, response) => {
    serveStatic(request, response).catch((error: unknown) => {
      log(`static file failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== "/ws" || !sameOrigin(request)) {
      socket.end(`HTTP/1.1 ${path !== "/ws" ? "404 Not Found" : "403 Forbidden"}\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });

  let next = 1;
  const alive = new WeakSet<WebSocket>();
  wss.on("connection", (ws: WebSocket) => {
    const id = `c${next++}`;
    let name = `guest-${id.slice(1)}`;
    alive.add(ws);
    log(`${id} connected`);

    const send = (frame: ServerFrame): void => {
      if (ws.readyState !== ws.OPEN) return;
      // A client that stopped reading would make the server buffer its messages forever.
      if (ws.bufferedAmount > maxBufferedBytes) {
        log(`${id} is too slow, dropped`);
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(frame));
    };
    const member = {
      id,
      get name() {
        return name;
      },
      receive: (event: ChatEvent) => send(toFrame(event, id)),
    };

    const handle = (frame: ClientFrame): void => {
      switch (frame.type) {
        case "name":
          name = frame.name;
          send({ type: "named", name });
          return;
        case "join":
          rooms.join(frame.room, member, { echo: frame.echo === true });
          send({
            type: "joined",
            room: frame.room,
            members: rooms.members(frame.room).map((m) => m.name),
          });
          return;
        case "leave":
          rooms.leave(frame.room, id);
          send({ type: "left", room: frame.room });
          return;
        case "send": {
          let recipients: number;
          try {
            recipients = rooms.send(frame.room, id, frame.text);
          } catch (error) {
            // Blank or too long: ChatRooms says which, the client needs to know it was the text.
            if (error instanceof TypeError || error instanceof RangeError) {
              throw new ProtocolError("invalid-text", error.message);
            }
            throw error;
          }
          send({ type: "sent", room: frame.room, recipients });
          return;
        }
      }
    };

    // #region frame
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        send(new ProtocolError("binary-not-supported", "send JSON text frames").toFrame());
        return;
      }
      const frame = parseClientFrame(rawText(data), maxFrameLength);
      if (frame instanceof ProtocolError) {
        send(frame.toFrame());
        return;
      }
      try {
        handle(frame);
      } catch (error) {
        // A refused request is answered; anything else is a bug, logged and still answered, so
        // that one client's bad luck never takes the server down.
        const reply = toErrorFrame(error);
        if (reply.code === "internal-error") log(`${id}: ${String(error)}`);
        send(reply);
      }
    });
    // #endregion frame

    ws.on("pong", () => alive.add(ws));
    ws.on("error", (error) => log(`${id} socket error: ${error.message}`));
    ws.on("close", (code) => {
      try {
        rooms.leaveAll(id);
      } catch (error) {
        // Telling the others failed somewhere; an event listener must not throw, or Node exits.
        log(`${id}: leaving its rooms failed: ${String(error)}`);
      }
      log(`${id} disconnected (${code})`);
    });
    send({ type: "welcome", id, name, rooms: rooms.rooms });
  });

  // Connections that vanish without a close frame (a laptop lid shut) are found by ping/pong.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const authority = `${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, "server shutting down");
      // Give clients a moment to answer the close frame, then cut whoever did not.
      const force = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, 1000);
      force.unref();
      wss.close(() => {
        clearTimeout(force);
        http.close(() => resolve());
        http.closeAllConnections();
      });
    });
    return closing;
  };

  return { url: `http://${authority}/`, wsUrl: `ws://${authority}/ws`, rooms, close };
}
// #endregion start

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString("utf8");
}

function toFrame(event: ChatEvent, self: string): ServerFrame {
  return event.kind === "message"
    ? {
        type: "message",
        room: event.room,
        name: event.name,
        text: event.text,
        id: event.id,
        timestamp: event.timestamp,
        own: event.from === self,
      }
    : { type: "presence", room: event.room, name: event.name, action: event.action };
}

function toErrorFrame(error: unknown): ServerFrame & { type: "error" } {
  if (error instanceof ProtocolError)
    return { type: "error", code: error.code, message: error.message };
  if (error instanceof UnknownRoomError) {
    return { type: "error", code: "unknown-room", message: error.message };
  }
  if (error instanceof NotAMemberError) {
    return { type: "error", code: "not-a-member", message: error.message };
  }
  return {
    type: "error",
    code: "internal-error",
    message: "the server could not handle that frame",
  };
}
