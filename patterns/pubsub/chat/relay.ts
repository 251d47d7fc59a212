/**
 * The chat across servers: a relay between one server's in-process broker (its {@link ChatRooms})
 * and a {@link RedisBroker} that every server of the chat shares, as Socket.IO's Redis adapter
 * does. Each server delivers its own members' lines at once, in-process, and also publishes them
 * on Redis, tagged with its node id; every other server publishes what arrives from Redis on its
 * own broker, so its members hear it as if it had been said there. A server ignores its own
 * lines when Redis hands them back. If Redis goes away, each server goes on serving its own
 * members; lines sent meanwhile do not cross (at most once), and crossing resumes when the
 * broker has reconnected.
 *
 * Who is where (the member list a `joined` frame carries, and the names taken on other servers)
 * is **announced over the broker**, not kept in Redis: each server publishes its roster (its
 * members, their names and rooms) whenever it changes and every `rosterIntervalMs`, a server that
 * starts or reconnects asks the others for theirs, and a server that stops says goodbye. A
 * roster replaces everything known of its server, so a lost message is healed by the next one,
 * and a server that dies without a word is forgotten after three intervals of silence. Keeping
 * presence in Redis (a sorted set per room, scored by expiry) would answer "who is here" with one
 * query, but needs a second Redis client beside the broker, expiry bookkeeping, and rewriting
 * everything after a Redis restart (no persistence): the rosters do that by themselves, over
 * nothing but publish/subscribe.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { RedisBroker } from "../redis-broker";
import type { Message } from "../types";
import type { ChatRooms, ChatTopics } from "./rooms";
import { nameSkeleton } from "./text";

// #region topics
/** A line or a presence event on Redis: the in-process payload and the server it came from. */
type Tagged<P> = P & { readonly node: string };

/**
 * What one server tells the others about its members.
 *
 * @example
 * ```ts
 * const roster: Roster = { node: "3fa9c2", ask: false, members: [{ id: "c1@3fa9c2", name: "Ada", rooms: ["lobby"] }] };
 * ```
 */
export interface Roster {
  readonly node: string;
  /** Set by a server that has just (re)connected: the others answer with their rosters. */
  readonly ask: boolean;
  readonly members: readonly RosterMember[];
}

/**
 * One connected member in a {@link Roster}.
 *
 * @example
 * ```ts
 * const ada: RosterMember = { id: "c1@3fa9c2", name: "Ada", rooms: ["lobby"] };
 * ```
 */
export interface RosterMember {
  readonly id: string;
  readonly name: string;
  readonly rooms: readonly string[];
}

/**
 * The topics the chat servers share on Redis: the rooms' topics, tagged with their server, and
 * the servers' rosters.
 *
 * @example
 * ```ts
 * const redis = await RedisBroker.connect<RelayTopics>("redis://127.0.0.1:6379", { prefix: "chat:" });
 * ```
 */
export type RelayTopics = {
  [message: `chat.${string}.message`]: Tagged<ChatTopics[`chat.${string}.message`]>;
  [presence: `chat.${string}.presence`]: Tagged<ChatTopics[`chat.${string}.presence`]>;
  "chat-node.roster": Roster;
  "chat-node.bye": { readonly node: string };
};
// #endregion topics

/**
 * Options of a {@link ChatRelay}.
 *
 * @example
 * ```ts
 * new ChatRelay(rooms, redis, () => roster(), { rosterIntervalMs: 5_000, log: console.log });
 * ```
 */
export interface ChatRelayOptions {
  /** This server's id on Redis, unique among the servers. Default: 6 random hex digits. */
  readonly node?: string;
  /** How often the roster is announced even if nothing changed. Default 10 s. */
  readonly rosterIntervalMs?: number;
  /** Where the relay logs (Redis lost and back, dropped lines). Default: nowhere. */
  readonly log?: (line: string) => void;
  /** Called for every line of another server delivered to this server's rooms. */
  readonly onRemoteLine?: () => void;
  /** Called for every line or event that could not be published on Redis (it did not cross). */
  readonly onPublishFailure?: (error: unknown) => void;
}

interface RemoteNode {
  seen: number;
  readonly members: Map<string, { name: string; readonly rooms: Set<string> }>;
}

type ChatPayload = ChatTopics[`chat.${string}.message`] | ChatTopics[`chat.${string}.presence`];

// #region relay
/**
 * Relays a server's rooms to the other servers through a shared {@link RedisBroker}, and keeps
 * track of the members connected to the other servers. Create it with a connected broker, then
 * `await relay.start()`.
 *
 * @example
 * ```ts
 * const redis = await RedisBroker.connect<RelayTopics>(url, { onConnectionChange: (up) => up && relay.resync() });
 * const relay = new ChatRelay(rooms, redis, () => membersOfThisServer());
 * await relay.start();
 * relay.remoteMembers("lobby"); // ["Bob"]: in the lobby on another server
 * ```
 */
export class ChatRelay {
  /** This server's id on Redis. */
  readonly node: string;
  readonly #rooms: ChatRooms;
  readonly #redis: RedisBroker<RelayTopics>;
  readonly #roster: () => readonly RosterMember[];
  readonly #intervalMs: number;
  readonly #log: (line: string) => void;
  readonly #onRemoteLine: () => void;
  readonly #onPublishFailure: (error: unknown) => void;
  /** Payloads that came from Redis: published on the local broker, never sent back. */
  readonly #fromRemote = new WeakSet<object>();
  readonly #nodes = new Map<string, RemoteNode>();
  readonly #stops: Array<() => unknown> = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #announcing = false;
  /** Whether the roster about to be announced asks the others for theirs. */
  #ask = false;
  #closed = false;

  /** @throws TypeError if `rosterIntervalMs` is not a positive number or `node` is empty. */
  constructor(
    rooms: ChatRooms,
    redis: RedisBroker<RelayTopics>,
    roster: () => readonly RosterMember[],
    options: ChatRelayOptions = {},
  ) {
    const {
      node = randomBytes(3).toString("hex"),
      rosterIntervalMs = 10_000,
      log = () => {},
      onRemoteLine = () => {},
      onPublishFailure = () => {},
    } = options;
    if (typeof node !== "string" || !/^[\w-]{1,32}$/.test(node)) {
      throw new TypeError(`\`options.node\` must be 1–32 of a-z, 0-9, _ and -, got ${node}`);
    }
    if (typeof rosterIntervalMs !== "number" || !(rosterIntervalMs > 0)) {
      throw new TypeError(
        `\`options.rosterIntervalMs\` must be a positive number, got ${rosterIntervalMs}`,
      );
    }
    this.node = node;
    this.#rooms = rooms;
    this.#redis = redis;
    this.#roster = roster;
    this.#intervalMs = rosterIntervalMs;
    this.#log = log;
    this.#onRemoteLine = onRemoteLine;
    this.#onPublishFailure = onPublishFailure;
  }

  /** Subscribes on both sides, asks the other servers for their rosters, starts the heartbeat. */
  async start(): Promise<void> {
    // Outgoing: every line and presence event of this server's members, as it happens.
    this.#stops.push(
      this.#rooms.broker.subscribe("chat.+.+", (message) => {
        if (this.#fromRemote.has(message.payload)) return;
        this.#publish(message.topic, { ...message.payload, node: this.node });
      }),
    );
    // Incoming: the other servers' lines, presence events and rosters.
    this.#stops.push(
      await this.#redis.subscribe("chat.+.+", (message) => this.#receive(message)),
      await this.#redis.subscribe("chat-node.roster", ({ payload }) => this.#heard(payload)),
      await this.#redis.subscribe("chat-node.bye", ({ payload }) => {
        if (this.#nodes.delete(payload.node)) this.#log(`server ${payload.node} left the chat`);
      }),
    );
    this.#timer = setInterval(() => this.#heartbeat(), this.#intervalMs);
    this.#timer.unref();
    this.#announce(true);
  }

  /**
   * The names of the members of `room` connected to other servers, as far as this server knows.
   *
   * @example
   * ```ts
   * [...rooms.members("lobby").map((m) => m.name), ...relay.remoteMembers("lobby")];
   * ```
   */
  remoteMembers(room: string): string[] {
    const names: string[] = [];
    for (const { members } of this.#nodes.values()) {
      for (const member of members.values()) if (member.rooms.has(room)) names.push(member.name);
    }
    return names;
  }

  /**
   * Whether a member of another server holds a name with this skeleton ({@link nameSkeleton}),
   * as far as this server knows.
   */
  nameTaken(skeleton: string): boolean {
    for (const { members } of this.#nodes.values()) {
      for (const member of members.values())
        if (nameSkeleton(member.name) === skeleton) return true;
    }
    return false;
  }

  /** This server's members changed (connected, renamed, gone): announce the roster soon. */
  changed(): void {
    this.#announce(false);
  }

  /**
   * Redis is back after a loss: what was published meanwhile is lost, so announce the roster and
   * ask the others for theirs.
   */
  resync(): void {
    this.#log("Redis is back: rosters exchanged again");
    this.#announce(true);
  }

  /** Says goodbye to the other servers and stops relaying. The broker stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#redis.publish("chat-node.bye", { node: this.node }).catch(() => 0);
    await Promise.allSettled(this.#stops.map((stop) => stop()));
  }

  #receive(
    message: Message<
      string,
      RelayTopics[`chat.${string}.message`] | RelayTopics[`chat.${string}.presence`]
    >,
  ): void {
    const { node, ...payload } = message.payload;
    if (node === this.node || this.#closed) return;
    const room = message.topic.split(".")[1] as string;
    if (!this.#rooms.rooms.includes(room) || !isChatPayload(payload)) {
      this.#log(`dropped a line from server ${node} for ${message.topic}: not a line of ours`);
      return;
    }
    if ("action" in payload) this.#presence(node, room, payload);
    else this.#onRemoteLine();
    this.#fromRemote.add(payload);
    // Published inside the Redis message's handler: the line keeps its correlation id.
    this.#rooms.broker.publish(message.topic as `chat.${string}.message`, payload as never);
  }

  /** A presence event updates what is known of its server at once; the next roster confirms. */
  #presence(node: string, room: string, payload: ChatTopics[`chat.${string}.presence`]): void {
    const known = this.#node(node);
    let member = known.members.get(payload.from);
    if (member === undefined) {
      member = { name: payload.name, rooms: new Set() };
      known.members.set(payload.from, member);
    }
    member.name = payload.name;
    if (payload.action === "joined") member.rooms.add(room);
    else member.rooms.delete(room);
  }

  #heard(roster: Roster): void {
    if (roster.node === this.node || this.#closed) return;
    if (!Array.isArray(roster.members)) return;
    const known = this.#node(roster.node);
    known.members.clear();
    for (const { id, name, rooms } of roster.members) {
      if (typeof id !== "string" || typeof name !== "string" || !Array.isArray(rooms)) continue;
      known.members.set(id, { name, rooms: new Set(rooms) });
    }
    if (roster.ask) this.#announce(false);
  }

  #node(node: string): RemoteNode {
    let known = this.#nodes.get(node);
    if (known === undefined) {
      known = { seen: Date.now(), members: new Map() };
      this.#nodes.set(node, known);
      this.#log(`server ${node} is in the chat`);
    }
    known.seen = Date.now();
    return known;
  }

  #heartbeat(): void {
    const silent = Date.now() - 3 * this.#intervalMs;
    for (const [node, known] of this.#nodes) {
      if (known.seen < silent) {
        this.#nodes.delete(node);
        this.#log(`server ${node} fell silent: its members are forgotten`);
      }
    }
    this.#announce(false);
  }

  /** Announces the roster once per turn of the event loop, however many changes it saw. */
  #announce(ask: boolean): void {
    this.#ask ||= ask;
    if (this.#closed || this.#announcing) return;
    this.#announcing = true;
    setImmediate(() => {
      this.#announcing = false;
      if (this.#closed) return;
      const roster = { node: this.node, ask: this.#ask, members: this.#roster() };
      this.#ask = false;
      this.#publish("chat-node.roster", roster);
    });
  }

  #publish<K extends keyof RelayTopics & string>(topic: K, payload: RelayTopics[K]): void {
    this.#redis.publish(topic, payload).catch((error: unknown) => {
      this.#onPublishFailure(error);
    });
  }
}
// #endregion relay

function isChatPayload(payload: Record<string, unknown>): payload is ChatPayload {
  if (typeof payload.from !== "string" || typeof payload.name !== "string") return false;
  if ("text" in payload) return typeof payload.text === "string";
  return payload.action === "joined" || payload.action === "left";
}
