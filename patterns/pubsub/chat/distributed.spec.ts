/**
 * Two chat servers sharing rooms through a real redis-server (kata/services.ts starts one on an
 * ephemeral loopback port; a machine without Debian's redis-server package gets an error naming
 * it), driven by real `ws` clients over 127.0.0.1. Both servers run in this test process, each
 * with its own Redis connections, as two processes would. Nothing waits on the clock: every test
 * awaits the frame (or the log line) it expects, and a fresh Redis prefix isolates each test.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, type RedisService, startRedis } from "../../../kata/services";
import { RedisBroker, RedisConnectionError } from "../redis-broker";
import type { RelayTopics, Roster } from "./relay";
import { type ChatServer, type ChatServerOptions, startChatServer } from "./server";
import { Client, sockets } from "./spec-client";

let redis: RedisService;
let servers: ChatServer[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});
beforeEach(() => {
  sockets.length = 0;
});
afterEach(async () => {
  for (const socket of sockets) socket.terminate();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** A server's log, and a way to wait for a line in it. */
class Log {
  readonly lines: string[] = [];
  #waiters: Array<() => void> = [];
  readonly write = (line: string) => {
    this.lines.push(line);
    for (const wake of this.#waiters) wake();
  };

  /** Resolves when a line containing `text` has been logged (after `from` lines, if given). */
  seen(text: string, from = 0): Promise<void> {
    return new Promise((resolve) => {
      const check = () => this.lines.slice(from).some((line) => line.includes(text));
      if (check()) return resolve();
      const wake = () => {
        if (!check()) return;
        this.#waiters = this.#waiters.filter((w) => w !== wake);
        resolve();
      };
      this.#waiters.push(wake);
    });
  }
}

/** Two servers on the test's Redis, with a prefix of their own; their logs. */
async function twoServers(
  options: ChatServerOptions = {},
): Promise<[ChatServer, ChatServer, Log, Log]> {
  const prefix = `t${++prefixes}:`;
  const logs = [new Log(), new Log()] as const;
  const made = await Promise.all(
    logs.map((log, i) =>
      startChatServer({
        port: 0,
        redis: redis.url,
        redisPrefix: prefix,
        node: `node${i + 1}`,
        log: log.write,
        rateLimit: { burst: 1000, perSecond: 1000 },
        ...options,
      }),
    ),
  );
  servers.push(...made);
  return [made[0] as ChatServer, made[1] as ChatServer, logs[0], logs[1]];
}

/** A client on `server`, renamed `name`, in the lobby (with echo), its frames so far taken. */
async function member(server: ChatServer, name: string): Promise<Client> {
  const client = await Client.connect(server.wsUrl);
  client.send({ type: "name", name });
  await client.next("named");
  client.send({ type: "join", room: "lobby", echo: true });
  await client.next("joined");
  return client;
}

/** The next presence frame about `name` doing `action`. */
async function presence(client: Client, name: string, action: "joined" | "left") {
  for (;;) {
    const frame = await client.next("presence");
    if (frame.name === name && frame.action === action) return frame;
  }
}

/** The next line whose text is `text`. */
async function line(client: Client, text: string) {
  for (;;) {
    const frame = await client.next("message");
    if (frame.text === text) return frame;
  }
}

describe("two servers sharing rooms through Redis", () => {
  it("deliver a line said on one server to the members of the other", async () => {
    const [a, b] = await twoServers();
    const ada = await member(a, "Ada");
    const bob = await member(b, "Bob");
    await presence(ada, "Bob", "joined");

    ada.send({ type: "send", room: "lobby", text: "hello from server A" });
    const heard = await line(bob, "hello from server A");
    expect(heard).toMatchObject({ room: "lobby", name: "Ada", own: false });
    // The count a sender gets back is of this server's members: here only Ada's own echo.
    expect(await ada.next("sent")).toMatchObject({ recipients: 1 });
  });

  it("tell each server's members who joins and leaves on the other", async () => {
    const [a, b] = await twoServers();
    const bob = await member(b, "Bob");
    const ada = await member(a, "Ada");
    await presence(bob, "Ada", "joined");

    ada.send({ type: "leave", room: "lobby" });
    await presence(bob, "Ada", "left");
    ada.send({ type: "join", room: "lobby" });
    await presence(bob, "Ada", "joined");
    ada.socket.close();
    await presence(bob, "Ada", "left");
  });

  it("list the members of both servers to one who joins", async () => {
    const [a, b] = await twoServers();
    const bob = await member(b, "Bob");
    await member(a, "Ada");
    await presence(bob, "Ada", "joined"); // server B has heard of Ada now

    const carol = await Client.connect(b.wsUrl);
    carol.send({ type: "name", name: "Carol" });
    await carol.next("named");
    carol.send({ type: "join", room: "lobby" });
    const joined = await carol.next("joined");
    expect(joined.members.toSorted()).toEqual(["Ada", "Bob", "Carol"]);
  });

  it("deliver a line once to the members of its own server, not again when Redis echoes it", async () => {
    const [a, b] = await twoServers();
    const ada = await member(a, "Ada");
    const eve = await member(a, "Eve");
    const bob = await member(b, "Bob");
    await presence(ada, "Bob", "joined");

    ada.send({ type: "send", room: "lobby", text: "once" });
    await line(bob, "once");
    // Bob's answer leaves Redis after Ada's line did: any echo of hers would reach Eve first.
    bob.send({ type: "send", room: "lobby", text: "answer" });
    await line(eve, "answer");
    expect(eve.frames.filter((f) => f.type === "message" && f.text === "once")).toHaveLength(1);
    expect(ada.frames.filter((f) => f.type === "message" && f.text === "once")).toHaveLength(1);
  });

  it("give members ids and guest names that differ between the servers", async () => {
    const [a, b] = await twoServers();
    const [first, second] = await Promise.all([Client.connect(a.wsUrl), Client.connect(b.wsUrl)]);
    const [one, two] = [first?.frames[0], second?.frames[0]];
    expect(one).toMatchObject({ type: "welcome", id: "c1@node1", name: "guest-1-node1" });
    expect(two).toMatchObject({ type: "welcome", id: "c1@node2", name: "guest-1-node2" });
  });

  it("refuse a name that a member of the other server holds, once it has been heard of", async () => {
    const [a, b] = await twoServers();
    const bob = await member(b, "Bob");
    await member(a, "Ada");
    await presence(bob, "Ada", "joined");

    const impostor = await Client.connect(b.wsUrl);
    expect(await impostor.refused({ type: "name", name: "ADA" })).toMatchObject({
      code: "name-taken",
    });
  });

  it("keep a line's correlation id across the servers", async () => {
    const [a, b] = await twoServers();
    const correlations: string[] = [];
    for (const server of [a, b]) {
      server.rooms.broker.subscribe("chat.+.message", (m) => {
        correlations.push(m.correlationId);
      });
    }
    const ada = await member(a, "Ada");
    const bob = await member(b, "Bob");
    await presence(ada, "Bob", "joined");
    ada.send({ type: "send", room: "lobby", text: "traced" });
    await line(bob, "traced");
    expect(correlations).toHaveLength(2);
    expect(correlations[1]).toBe(correlations[0]);
  });
});

describe("rosters: who is on the other servers", () => {
  /** A server of the test's own (node "live"), and another server played by a bare broker. */
  async function liveAndOther(rosterIntervalMs: number) {
    const log = new Log();
    const prefix = `t${++prefixes}:`;
    const server = await startChatServer({
      port: 0,
      redis: redis.url,
      redisPrefix: prefix,
      node: "live",
      log: log.write,
      rosterIntervalMs,
    });
    servers.push(server);
    const other = await RedisBroker.connect<RelayTopics>(redis.url, { prefix });
    others.push(other);
    return { server, log, other };
  }
  const ghost: Roster = {
    node: "ghost",
    ask: true,
    members: [{ id: "g1@ghost", name: "Ghost", rooms: ["lobby"] }],
  };
  let others: RedisBroker<RelayTopics>[] = [];
  afterEach(async () => {
    await Promise.all(others.map((o) => o.close()));
    others = [];
  });

  it("answers a server that asks with its own roster, and lists the asker's members", async () => {
    // No members (so no roster for a change) and a heartbeat a minute away: the only roster
    // without `ask` that can come now is the answer. (Its own first one asks.)
    const { server, log, other } = await liveAndOther(60_000);
    const answer = new Promise<Roster>((resolve) => {
      void other.subscribe("chat-node.roster", ({ payload }) => {
        if (payload.node === "live" && !payload.ask) resolve(payload);
      });
    });
    const heard = log.seen("server ghost is in the chat");
    await other.publish("chat-node.roster", ghost);
    expect(await answer).toEqual({ node: "live", ask: false, members: [] });
    await heard;
    const bob = await Client.connect(server.wsUrl);
    bob.send({ type: "join", room: "lobby" });
    expect((await bob.next("joined")).members).toEqual(["guest-1-live", "Ghost"]);
  });

  it("forgets a server's members after three heartbeats without a word from it", async () => {
    const { server, log, other } = await liveAndOther(50);
    const heard = log.seen("server ghost is in the chat");
    await other.publish("chat-node.roster", ghost);
    await heard;
    await log.seen("server ghost fell silent");
    const bob = await Client.connect(server.wsUrl);
    bob.send({ type: "join", room: "lobby" });
    expect((await bob.next("joined")).members).toEqual(["guest-1-live"]);
  });

  it("forgets a server's members at once when it says goodbye", async () => {
    const { server, log, other } = await liveAndOther(60_000);
    const heard = log.seen("server ghost is in the chat");
    await other.publish("chat-node.roster", ghost);
    await heard;
    const gone = log.seen("server ghost left the chat");
    await other.publish("chat-node.bye", { node: "ghost" });
    await gone;
    const bob = await Client.connect(server.wsUrl);
    bob.send({ type: "join", room: "lobby" });
    expect((await bob.next("joined")).members).toEqual(["guest-1-live"]);
  });
});

describe("the metrics of two servers", () => {
  it("count a line once as local where it was said and once as remote where it arrived", async () => {
    const [a, b] = await twoServers();
    const ada = await member(a, "Ada");
    const bob = await member(b, "Bob");
    await presence(ada, "Bob", "joined");
    ada.send({ type: "send", room: "lobby", text: "counted" });
    await line(bob, "counted");
    const relayed = async (server: ChatServer) =>
      (await server.metrics.relayed.get()).values.map((v) => [v.labels.source, v.value]);
    expect(await relayed(a)).toEqual([
      ["local", 1],
      ["remote", 0],
    ]);
    expect(await relayed(b)).toEqual([
      ["local", 0],
      ["remote", 1],
    ]);
    const text = await (await fetch(`${b.url}metrics`)).text();
    expect(text).toContain("chat_redis_connected 1");
  });
});

describe("a server that cannot use Redis", () => {
  it("refuses a URL that is not redis:// with a TypeError naming it", async () => {
    await expect(startChatServer({ port: 0, redis: "localhost:6379" })).rejects.toThrow(
      new TypeError(
        '`url` must be a redis://host:port or rediss://host:port URL, got "localhost:6379"',
      ),
    );
  });

  it("fails to start with a RedisConnectionError when nothing answers, and listens nowhere", async () => {
    const port = await freePort();
    const chatPort = await freePort();
    const error = await startChatServer({
      port: chatPort,
      redis: `redis://:secret@127.0.0.1:${port}`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toBe(
      `cannot connect to Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    // Nothing was left listening: the port is free for a server without Redis.
    const alone = await startChatServer({ port: chatPort });
    servers.push(alone);
    expect(alone.relay).toBeUndefined();
  });
});

describe("a Redis restart", () => {
  it("leaves each server serving its own members; crossing resumes when Redis is back", async () => {
    const [a, b, logA, logB] = await twoServers();
    const ada = await member(a, "Ada");
    const eve = await member(a, "Eve");
    const bob = await member(b, "Bob");
    await presence(ada, "Bob", "joined");

    const lost = Promise.all([logA.seen("lost Redis"), logB.seen("lost Redis")]);
    await redis.kill("SIGKILL");
    await lost;
    ada.send({ type: "send", room: "lobby", text: "while Redis is down" });
    await line(eve, "while Redis is down"); // same server: still delivered

    const back = Promise.all([logA.seen("Redis is back"), logB.seen("Redis is back")]);
    await redis.restart();
    await back;
    ada.send({ type: "send", room: "lobby", text: "Redis is back" });
    await line(bob, "Redis is back");
    // At most once: the line said while Redis was down never crossed, not even late.
    expect(bob.frames.some((f) => f.type === "message" && f.text === "while Redis is down")).toBe(
      false,
    );
    expect(await a.metrics.registry.getSingleMetricAsString("chat_redis_connected")).toContain(
      "chat_redis_connected 1",
    );
  }, 30_000);
});
