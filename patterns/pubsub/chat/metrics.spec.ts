/**
 * The chat server's `/metrics`, fetched over HTTP from a server driven by real `ws` clients:
 * what it counts, and that the exposition is valid for Prometheus (`promtool check metrics`,
 * from Debian's prometheus package; a machine without it gets an error naming the package).
 */
import { spawnSync } from "node:child_process";
import { get } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requireBinary } from "../../../kata/services";
import { type ChatServer, startChatServer } from "./server";
import { Client, sockets, until } from "./spec-client";

let server: ChatServer;

beforeEach(async () => {
  sockets.length = 0;
  server = await startChatServer({ port: 0 });
});

afterEach(async () => {
  for (const socket of sockets) socket.terminate();
  await server?.close();
});

async function scrape(): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${server.url}metrics`);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    text: await response.text(),
  };
}

/** The value of the sample `series` (name and labels, as exposed), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Two members in the lobby; Ada says one line, Bob sends two bad frames. */
async function chat(): Promise<[Client, Client]> {
  const ada = await Client.connect(server.wsUrl);
  const bob = await Client.connect(server.wsUrl);
  for (const client of [ada, bob]) {
    client.send({ type: "join", room: "lobby" });
    await client.next("joined");
  }
  ada.send({ type: "send", room: "lobby", text: "hello" });
  await bob.next("message");
  await bob.refused("not json");
  await bob.refused({ type: "send", room: "nowhere", text: "x" });
  return [ada, bob];
}

describe("/metrics", () => {
  it("counts connected members, lines relayed and frames refused by reason", async () => {
    const [ada] = await chat();
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(sample(text, "chat_members_connected")).toBe(2);
    expect(sample(text, 'chat_messages_relayed_total{source="local"}')).toBe(1);
    expect(sample(text, 'chat_messages_relayed_total{source="remote"}')).toBe(0);
    expect(sample(text, 'chat_frames_rejected_total{reason="invalid-json"}')).toBe(1);
    expect(sample(text, 'chat_frames_rejected_total{reason="unknown-room"}')).toBe(1);
    expect(sample(text, "chat_redis_connected")).toBe(0);

    ada.socket.close();
    await until(() => server.rooms.members("lobby").length === 1, "Ada leaving");
    expect(sample((await scrape()).text, "chat_members_connected")).toBe(1);
  });

  it("includes the broker's metrics: every line and presence event passes through it", async () => {
    await chat();
    const { text } = await scrape();
    // Two joins (presence) and one line.
    expect(sample(text, "pubsub_messages_published_total")).toBe(3);
    // Each member's handler sees the room's every message and drops its own: Ada's join (Ada),
    // Bob's join (Ada, Bob), the line (Ada, Bob).
    expect(sample(text, 'pubsub_messages_delivered_total{pattern="chat.lobby.+"}')).toBe(5);
    expect(sample(text, "pubsub_subscriptions")).toBe(2);
  });

  it("passes promtool check metrics", async () => {
    await chat();
    const { text } = await scrape();
    const check = spawnSync(requireBinary("promtool", "prometheus"), ["check", "metrics"], {
      input: text,
      encoding: "utf8",
    });
    expect(check.stderr + check.stdout).toBe("");
    expect(check.status).toBe(0);
  });

  it("answers only GET; the host allow-list guards it like the page", async () => {
    expect((await fetch(`${server.url}metrics`, { method: "POST" })).status).toBe(405);
    const refused = await new Promise<number>((resolve, reject) => {
      get(`${server.url}metrics`, { headers: { host: "evil.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on("error", reject);
    });
    expect(refused).toBe(403);
  });
});
