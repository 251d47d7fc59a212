/**
 * Chat rooms over WebSockets, alone or shared by several servers through Redis (Ctrl-C to stop).
 *
 * Usage: npm run demo chat [-- [--port 8080] [--redis redis://127.0.0.1:6379]]
 *   (or npm run demo chat 9000, or PORT=9000 npm run demo chat; default port 8080)
 *
 * One server: open the printed URL in two browser tabs. Two servers sharing rooms: start a
 * redis-server, then run this twice with the same `--redis` and two ports, and open one tab on
 * each: a member of one hears the other's lines, joins and leaves.
 *
 * Each tab is a member of the rooms it joins: a subscription to `chat.<room>.+` on the server's
 * broker. The server also subscribes to `chat.+.message` itself, to log every line with its
 * message id (lines from the other server too). Lines reach this terminal without control
 * characters: the server strips them before relaying, and `printable()` shows any that slipped
 * through as escapes rather than obeying them. `/metrics` serves Prometheus metrics.
 */
import { parseArgs } from "node:util";
import { startChatServer } from "../chat/server";
import { printable } from "../chat/text";
import { RedisConnectionError } from "../redis-broker";

const USAGE = "Usage: npm run demo chat -- [--port 8080] [--redis redis://127.0.0.1:6379]";

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: { port: { type: "string" }, redis: { type: "string" } },
    allowPositionals: true,
  });
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const raw = args.values.port ?? args.positionals[0] ?? process.env.PORT ?? "8080";
const port = Number(raw);
if (!/^\d+$/.test(raw) || port > 65_535) {
  console.error(`Not a port number: ${raw}. ${USAGE}`);
  process.exit(2);
}
const redis = args.values.redis;

let server: Awaited<ReturnType<typeof startChatServer>>;
try {
  server = await startChatServer({
    port,
    redis,
    log: (line) => console.log(`  · ${line}`),
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === "EADDRINUSE"
      ? `Port ${port} is in use. Try another: npm run demo chat -- --port ${port + 1}`
      : error instanceof RedisConnectionError
        ? `${error.message}\nIs redis-server running? (Debian: apt-get install redis-server)`
        : error instanceof TypeError
          ? `${error.message}\n${USAGE}`
          : `Could not start the chat server: ${String(error)}`,
  );
  process.exit(1);
}

// The server's own subscriber: a wildcard over every room, like a moderation log.
server.rooms.broker.subscribe("chat.+.message", (message) => {
  const room = message.topic.split(".")[1];
  console.log(
    printable(
      `  #${room} ${message.payload.name}: ${message.payload.text}  (id …${message.id.slice(-8)})`,
    ),
  );
});

const shared =
  server.relay === undefined
    ? "  In this process only: add --redis redis://127.0.0.1:6379 to share rooms with other servers."
    : `  Sharing rooms through ${redis} as server ${server.relay.node}: start another with
  npm run demo chat -- --redis ${redis} --port ${port + 1}
  and a member of either hears the other's lines, joins and leaves.`;

console.log(`Chat server listening.

  Open ${server.url} in two browser tabs, join a room in both, and talk.
  Rooms: ${server.rooms.rooms.join(", ")}.   WebSocket endpoint: ${server.wsUrl}
  Metrics for Prometheus: ${server.url}metrics
${shared}
  Limits: 20 frames at once then 5 a second per connection, 16 connections per address,
  names unique (look-alikes too); answers to localhost and 127.0.0.1 only.

Press Ctrl-C to stop.
`);

const stop = () => {
  console.log("\nClosing connections…");
  void server.close().then(() => {
    console.log("Bye.");
    process.exit(0);
  });
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
