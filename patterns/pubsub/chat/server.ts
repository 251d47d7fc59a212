/**
 * The chat server: a WebSocket endpoint (`/ws`, the `ws` package) where every connection is a
 * member of {@link ChatRooms}, and a plain `node:http` server for the browser page
 * (`index.html`, `chat.js`, `chat.css`, read from this folder).
 *
 * A bad frame (not JSON, unknown type or room, too large, binary) is answered with an error frame;
 * it never closes the connection, disturbs another client or crashes the server. A frame larger
 * than `maxPayload` is the one exception: `ws` closes that connection (code 1009) without reading it.
 *
 * No single request can take it down or crowd others out: a request whose target is no URL is
 * answered 400; only the host names in `allowedHosts` are served (DNS rebinding); each connection
 * has a rate limit and each address a connection cap; names are unique among connected members,
 * look-alikes included; control characters never reach another client or the operator's log.
 *
 * With `redis`, several servers share their rooms through Redis ({@link ChatRelay}): a member of
 * one hears the lines, joins and leaves of the others' members. Without it, everything stays in
 * this process. `/metrics` serves the server's Prometheus metrics ({@link ChatMetrics}).
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { type PageFiles, SECURITY_HEADERS, servePage } from "../../demo-pages";
import { Broker } from "../broker";
import { RedisBroker } from "../redis-broker";
import { describe } from "../topics";
import { ChatMetrics } from "./metrics";
import { type ClientFrame, ProtocolError, parseClientFrame, type ServerFrame } from "./protocol";
import { ChatRelay, type RelayTopics, type RosterMember } from "./relay";
import {
  type ChatEvent,
  ChatRooms,
  type ChatTopics,
  NotAMemberError,
  UnknownRoomError,
} from "./rooms";
import { cleanText, nameSkeleton, printable } from "./text";

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
  /**
   * The host names the server answers to (the `Host` header, port ignored, any case). Any other
   * host is refused with 403, page and WebSocket alike: a page on `evil.example` whose DNS name
   * has been rebound to 127.0.0.1 sends `Host: evil.example`, and its Origin matches that host,
   * so only this list stops it (DNS rebinding). Default: `localhost`, `127.0.0.1`, `[::1]` and
   * `host`. Serving a LAN, list the names people type (`["chat.lan", "192.168.1.20"]`).
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Frames per connection: a token bucket holding `burst` frames, refilled at `perSecond`. Every
   * text or binary frame takes one; a frame that finds the bucket empty is dropped, and the first
   * of a run of dropped frames is answered with a `rate-limited` error frame. Default
   * `{ burst: 20, perSecond: 5 }`: typing is never limited, a pasted flood is.
   */
  readonly rateLimit?: { readonly burst: number; readonly perSecond: number };
  /**
   * Open connections per client address. One more is welcomed with a `too-many-connections`
   * error frame and closed (code 1008). Default 16. Behind a reverse proxy every client has the
   * proxy's address: raise it, or limit there.
   */
  readonly maxConnectionsPerAddress?: number;
  /**
   * Where the server logs (connections, errors). Control characters in a line are shown as
   * escapes (`\x1b`), never printed. Default: nowhere.
   */
  readonly log?: (line: string) => void;
  /** The clock the rate limit reads, in milliseconds (tests). Default `performance.now`. */
  readonly now?: () => number;
  /**
   * A Redis URL (`redis://127.0.0.1:6379`): share the rooms with every chat server on the same
   * Redis and `redisPrefix`. Default: none, everything stays in this process. A bad URL is a
   * TypeError and an unreachable Redis a `RedisConnectionError`, before anything listens.
   */
  readonly redis?: string;
  /** Put before every Redis channel of the chat. Default `"chat:"`. */
  readonly redisPrefix?: string;
  /** This server's id among the servers on Redis. Default: 6 random hex digits. */
  readonly node?: string;
  /** How often this server announces its members to the others. Default 10 s. */
  readonly rosterIntervalMs?: number;
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
  /** The server's Prometheus metrics, also served on `/metrics`. */
  readonly metrics: ChatMetrics;
  /** The relay to the other servers, with `redis`; `undefined` without. */
  readonly relay: ChatRelay | undefined;
  /** Closes every connection (code 1001), says goodbye to the other servers, and closes. */
  close(): Promise<void>;
}
// #endregion options

const STATIC: PageFiles = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/chat.js": { file: "chat.js", type: "text/javascript; charset=utf-8" },
  "/chat.css": { file: "chat.css", type: "text/css; charset=utf-8" },
};

/**
 * Serves the page's three files from this folder, fresh from disk on every request (edit and
 * reload). Anything else is 404; anything but GET and HEAD is 405.
 */
async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = pathOf(request) ?? "/"; // refuse() has answered 400 for a target that is no URL
  await servePage(request, response, path, STATIC, import.meta.url);
}

/**
 * The path of a request's target, or `undefined` if the target is no URL at all
 * (`http://localhost:99999/ws`, `//[/ws`): such a request is answered 400, never thrown over.
 */
function pathOf(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? "/", "http://localhost").pathname;
  } catch {
    return undefined;
  }
}

/** `Host` without its port: `localhost:8080` → `localhost`, `[::1]:80` → `[::1]`. */
function hostName(host: string): string {
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
}

/**
 * Why a request is refused before anything else looks at it: a target that is no URL (400), or
 * a `Host` that is not on the allow-list (403; DNS rebinding), or `undefined` to go on.
 */
function refuse(
  request: IncomingMessage,
  hosts: ReadonlySet<string>,
): { status: number; reason: string } | undefined {
  if (pathOf(request) === undefined) return { status: 400, reason: "Bad Request" };
  const host = request.headers.host;
  if (host === undefined || !hosts.has(hostName(host.toLowerCase()))) {
    return { status: 403, reason: "Forbidden" };
  }
  return undefined;
}

/** The limits' options, checked at start: a bad one is a TypeError that names it. */
function checkOptions(
  rateLimit: unknown,
  maxConnectionsPerAddress: unknown,
  allowedHosts: unknown,
): void {
  const { burst, perSecond } = (rateLimit ?? {}) as Record<string, unknown>;
  if (
    typeof burst !== "number" ||
    !(burst >= 1) ||
    typeof perSecond !== "number" ||
    !(perSecond > 0)
  ) {
    throw new TypeError(
      `\`options.rateLimit\` must be { burst: a number ≥ 1, perSecond: a number > 0 }, got ${describe(rateLimit)}`,
    );
  }
  if (!Number.isInteger(maxConnectionsPerAddress) || (maxConnectionsPerAddress as number) < 1) {
    throw new TypeError(
      `\`options.maxConnectionsPerAddress\` must be a positive integer, got ${describe(maxConnectionsPerAddress)}`,
    );
  }
  if (
    !Array.isArray(allowedHosts) ||
    !allowedHosts.every((h) => typeof h === "string" && h !== "")
  ) {
    throw new TypeError(
      `\`options.allowedHosts\` must be an array of host names, got ${describe(allowedHosts)}`,
    );
  }
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
    return new URL(origin).host === request.headers.host?.toLowerCase();
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
    log: logRaw = () => {},
    allowedHosts = ["localhost", "127.0.0.1", "[::1]", host],
    rateLimit = { burst: 20, perSecond: 5 },
    maxConnectionsPerAddress = 16,
    now = () => performance.now(),
    redis: redisUrl,
    redisPrefix = "chat:",
  } = options;
  checkOptions(rateLimit, maxConnectionsPerAddress, allowedHosts);
  const log = (line: string): void => logRaw(printable(line));
  const hosts = new Set(allowedHosts.map((name) => hostName(name.toLowerCase())));
  const metrics = new ChatMetrics();
  const broker = metrics.broker.instrument(
    new Broker<ChatTopics>({
      onError: (error) => log(`async handler failed: ${error.errors.map(messageOf).join("; ")}`),
    }),
  );
  const rooms = new ChatRooms({ rooms: roomNames, maxTextLength, broker });
  /** Each connected member's current name, by id: the roster the relay announces. */
  const connected = new Map<string, () => string>();
  const roster = (): RosterMember[] =>
    [...connected].map(([id, name]) => ({ id, name: name(), rooms: rooms.roomsOf(id) }));
  const { relay, redisBroker } =
    redisUrl === undefined
      ? { relay: undefined, redisBroker: undefined }
      : await startRelay(redisUrl, redisPrefix, rooms, roster, metrics, log, options);
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  const http = createServer((request, response) => {
    const refusal = refuse(request, hosts);
    if (refusal !== undefined) {
      response
        .writeHead(refusal.status, { "content-type": "text/plain", ...SECURITY_HEADERS })
        .end(`${refusal.reason}\n`);
      return;
    }
    if (pathOf(request) === "/metrics" && request.method === "GET") {
      metrics.registry.metrics().then(
        (text) => {
          response.writeHead(200, {
            "content-type": metrics.registry.contentType,
            ...SECURITY_HEADERS,
          });
          response.end(text);
        },
        (error: unknown) => {
          log(`metrics failed: ${String(error)}`);
          response.writeHead(500).end();
        },
      );
      return;
    }
    serveStatic(request, response).catch((error: unknown) => {
      log(`static file failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  // #region upgrade
  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => {}); // a client gone mid-handshake is no business of ours
    const refusal =
      refuse(request, hosts) ??
      (pathOf(request) !== "/ws"
        ? { status: 404, reason: "Not Found" }
        : sameOrigin(request)
          ? undefined
          : { status: 403, reason: "Forbidden" });
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });
  // #endregion upgrade

  /** Takes a token from a connection's bucket, refilled for the time since it last looked. */
  const take = (bucket: { tokens: number; at: number }): boolean => {
    const time = now();
    bucket.tokens = Math.min(
      rateLimit.burst,
      bucket.tokens + ((time - bucket.at) * rateLimit.perSecond) / 1000,
    );
    bucket.at = time;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  let next = 1;
  const alive = new WeakSet<WebSocket>();
  /** Open connections per client address. */
  const perAddress = new Map<string, number>();
  /** The connection holding each name skeleton: names are unique, look-alikes included. */
  const names = new Map<string, string>();
  const claim = (wanted: string, id: string): boolean => {
    const key = nameSkeleton(wanted);
    const holder = names.get(key);
    if (holder !== undefined && holder !== id) return false;
    // Another server's member, as far as its last roster or presence event told us.
    if (holder === undefined && relay?.nameTaken(key) === true) return false;
    names.set(key, id);
    return true;
  };
  wss.on("connection", (ws: WebSocket, request: IncomingMessage) => {
    // #region limits
    const address = request.socket.remoteAddress ?? "unknown";
    const open = perAddress.get(address) ?? 0;
    if (open >= maxConnectionsPerAddress) {
      log(`refused a connection from ${address}: it has ${open} already`);
      metrics.reject("too-many-connections");
      ws.send(
        JSON.stringify({
          type: "error",
          code: "too-many-connections",
          message: `at most ${maxConnectionsPerAddress} connections per address`,
        } satisfies ServerFrame),
      );
      ws.close(1008, "too many connections");
      return;
    }
    perAddress.set(address, open + 1);
    // #endregion limits
    const serial = next++;
    // Ids and guest names must not clash with another server's: those carry the server's node.
    const id = relay === undefined ? `c${serial}` : `c${serial}@${relay.node}`;
    const guest = relay === undefined ? `guest-${serial}` : `guest-${serial}-${relay.node}`;
    let name = guest;
    // Someone may already call themselves guest-7: number on until the name is free.
    for (let n = 2; !claim(name, id); n++) name = `${guest}-${n}`;
    alive.add(ws);
    connected.set(id, () => name);
    metrics.members.inc();
    relay?.changed();
    log(`${id} connected`);
    const bucket = { tokens: rateLimit.burst, at: now(), warned: false };

    const send = (frame: ServerFrame): void => {
      if (frame.type === "error") metrics.reject(frame.code);
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
        case "name": {
          if (!claim(frame.name, id)) {
            throw new ProtocolError(
              "name-taken",
              `${JSON.stringify(frame.name)} is taken, or looks like a name that is`,
            );
          }
          const old = nameSkeleton(name);
          if (old !== nameSkeleton(frame.name)) names.delete(old);
          name = frame.name;
          relay?.changed();
          send({ type: "named", name });
          return;
        }
        case "join":
          rooms.join(frame.room, member, { echo: frame.echo === true });
          relay?.changed();
          send({
            type: "joined",
            room: frame.room,
            members: [
              ...rooms.members(frame.room).map((m) => m.name),
              ...(relay?.remoteMembers(frame.room) ?? []),
            ],
          });
          return;
        case "leave":
          rooms.leave(frame.room, id);
          relay?.changed();
          send({ type: "left", room: frame.room });
          return;
        case "send": {
          let recipients: number;
          try {
            // No terminal escapes, bidi overrides or line breaks reach the others (or a log).
            recipients = rooms.send(frame.room, id, cleanText(frame.text));
          } catch (error) {
            // Blank or too long: ChatRooms says which, the client needs to know it was the text.
            if (error instanceof TypeError || error instanceof RangeError) {
              throw new ProtocolError("invalid-text", error.message);
            }
            throw error;
          }
          metrics.relayed.inc({ source: "local" });
          send({ type: "sent", room: frame.room, recipients });
          return;
        }
      }
    };

    // #region frame
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (!take(bucket)) {
        if (!bucket.warned) {
          bucket.warned = true;
          send(
            new ProtocolError(
              "rate-limited",
              `slow down: at most ${rateLimit.burst} frames at once, ${rateLimit.perSecond} a second; frames dropped`,
            ).toFrame(),
          );
        }
        return;
      }
      bucket.warned = false;
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
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
      names.delete(nameSkeleton(name));
      connected.delete(id);
      metrics.members.dec();
      try {
        rooms.leaveAll(id);
      } catch (error) {
        // Telling the others failed somewhere; an event listener must not throw, or Node exits.
        log(`${id}: leaving its rooms failed: ${String(error)}`);
      }
      relay?.changed();
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

  /** Says goodbye on Redis and lets go of it (after the members' leaving has been relayed). */
  const stopRelay = async () => {
    await relay?.close();
    await redisBroker?.close();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(port, host, () => {
        http.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    clearInterval(heartbeat);
    await stopRelay();
    throw error;
  }
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
        http.close(() => void stopRelay().then(resolve));
        http.closeAllConnections();
      });
    });
    return closing;
  };

  return {
    url: `http://${authority}/`,
    wsUrl: `ws://${authority}/ws`,
    rooms,
    metrics,
    relay,
    close,
  };
}
// #endregion start

// #region relay
/**
 * Connects to Redis and starts relaying `rooms` to the other servers. A bad URL is a TypeError
 * and an unreachable Redis a RedisConnectionError, both from {@link RedisBroker.connect}.
 */
async function startRelay(
  url: string,
  prefix: string,
  rooms: ChatRooms,
  roster: () => RosterMember[],
  metrics: ChatMetrics,
  log: (line: string) => void,
  options: ChatServerOptions,
): Promise<{ relay: ChatRelay; redisBroker: RedisBroker<RelayTopics> }> {
  let relay: ChatRelay | undefined;
  const redisBroker = await RedisBroker.connect<RelayTopics>(url, {
    prefix,
    onError: (error) => log(`relay: ${messageOf(error)}`),
    onConnectionChange: (up) => {
      metrics.redisConnected.set(up ? 1 : 0);
      if (up) relay?.resync();
      else log("lost Redis: serving this server's members only until it is back");
    },
    // While Redis is away a line fails at once (it does not cross) instead of waiting in
    // ioredis's offline queue and arriving long after the conversation moved on.
    redis: { enableOfflineQueue: false },
  });
  try {
    relay = new ChatRelay(rooms, redisBroker, roster, {
      node: options.node,
      rosterIntervalMs: options.rosterIntervalMs,
      log,
      onRemoteLine: () => metrics.relayed.inc({ source: "remote" }),
      onPublishFailure: () => metrics.relayFailures.inc(),
    });
    await relay.start();
  } catch (error) {
    await redisBroker.close();
    throw error;
  }
  metrics.redisConnected.set(1);
  return { relay, redisBroker };
}
// #endregion relay

/** What went wrong, for the log, even from a value whose properties throw when read. */
function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "(an error that cannot be described)";
  }
}

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
