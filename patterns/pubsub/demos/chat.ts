/**
 * Chat rooms over WebSockets: open the printed URL in two browser tabs (Ctrl-C to stop).
 *
 * Usage: npm run demo chat [port]   (or PORT=9000 npm run demo chat; default 8080)
 *
 * Each tab is a member of the rooms it joins: a subscription to `chat.<room>.+` on the server's
 * broker. The server also subscribes to `chat.#` itself, to log every line with its message id.
 * Lines reach this terminal without control characters: the server strips them before relaying,
 * and `printable()` shows any that slipped through as escapes rather than obeying them.
 */
import { startChatServer } from "../chat/server";
import { printable } from "../chat/text";

const raw = process.argv[2] ?? process.env.PORT ?? "8080";
const port = Number(raw);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Not a port number: ${raw}. Usage: npm run demo chat [port]`);
  process.exit(2);
}

let server: Awaited<ReturnType<typeof startChatServer>>;
try {
  server = await startChatServer({
    port,
    log: (line) => console.log(`  · ${line}`),
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === "EADDRINUSE"
      ? `Port ${port} is in use. Try another: npm run demo chat 8081`
      : `Could not start the chat server: ${String(error)}`,
  );
  process.exit(1);
}

// The server's own subscriber: a wildcard over every room, like a moderation log.
server.rooms.broker.subscribe("chat.+.message", (message) => {
  const room = message.topic.split(".")[1];
  console.log(
    printable(
      `  #${room} ${message.payload.name}: ${message.payload.text}  (id ${message.id.slice(0, 8)})`,
    ),
  );
});

console.log(`Chat server listening.

  Open ${server.url} in two browser tabs, join a room in both, and talk.
  Rooms: ${server.rooms.rooms.join(", ")}.   WebSocket endpoint: ${server.wsUrl}
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
