/**
 * Chat rooms on a broker: each room is a topic family (`chat.<room>.message`,
 * `chat.<room>.presence`), each member a subscription to `chat.<room>.+`. The WebSocket server
 * (server.ts) gives every connection a member; nothing here knows about sockets.
 *
 * @module
 */
import { Broker, type Subscription } from "../broker";
import { describe } from "../topics";
import type { Message } from "../types";

// #region types
/**
 * What a member hears from a room: a line of chat, or someone joining or leaving.
 *
 * @example
 * ```ts
 * const show = (event: ChatEvent) =>
 *   event.kind === "message" ? `${event.name}: ${event.text}` : `${event.name} ${event.action}`;
 * ```
 */
export type ChatEvent =
  | {
      readonly kind: "message";
      readonly room: string;
      /** The sender's member id. */
      readonly from: string;
      /** The sender's display name when it sent the line. */
      readonly name: string;
      readonly text: string;
      /** The broker message's id and time, so clients can de-duplicate and order lines. */
      readonly id: string;
      readonly timestamp: number;
    }
  | {
      readonly kind: "presence";
      readonly room: string;
      readonly from: string;
      readonly name: string;
      readonly action: "joined" | "left";
      readonly id: string;
      readonly timestamp: number;
    };

/**
 * A room member: an id (unique among members), a display name, and where its events go.
 *
 * @example
 * ```ts
 * const ada: ChatMember = { id: "c1", name: "Ada", receive: (event) => socket.send(JSON.stringify(event)) };
 * ```
 */
export interface ChatMember {
  readonly id: string;
  readonly name: string;
  receive(event: ChatEvent): void;
}

/**
 * The broker topics of the chat.
 *
 * @example
 * ```ts
 * const broker = new Broker<ChatTopics>();
 * broker.subscribe("chat.+.presence", (m) => console.log(m.payload.name, m.payload.action));
 * ```
 */
export type ChatTopics = {
  [message: `chat.${string}.message`]: { from: string; name: string; text: string };
  [presence: `chat.${string}.presence`]: { from: string; name: string; action: "joined" | "left" };
};

/**
 * Options of {@link ChatRooms}.
 *
 * @example
 * ```ts
 * new ChatRooms({ rooms: ["lobby", "help"], maxTextLength: 500 });
 * ```
 */
export interface ChatRoomsOptions {
  /** The rooms members may join. Names are 1–32 of `a-z`, `0-9`, `-`. Default: `["lobby"]`. */
  readonly rooms?: Iterable<string>;
  /** The longest line of text, in characters. Default 1000. */
  readonly maxTextLength?: number;
  /** The broker to publish on (to watch the chat from elsewhere). Default: a new one. */
  readonly broker?: Broker<ChatTopics>;
}
// #endregion types

/**
 * The room does not exist: `room` is what was asked for, `known` what exists.
 *
 * @example
 * ```ts
 * rooms.join("nope", member); // throws UnknownRoomError: unknown room "nope" (rooms: lobby, help)
 * ```
 */
export class UnknownRoomError extends Error {
  override readonly name = "UnknownRoomError";

  constructor(
    readonly room: string,
    readonly known: readonly string[],
  ) {
    super(`unknown room ${describe(room)} (rooms: ${known.join(", ")})`);
  }
}

/**
 * The member tried to send to a room it has not joined.
 *
 * @example
 * ```ts
 * rooms.send("help", "c1", "hi"); // throws NotAMemberError if c1 has not joined help
 * ```
 */
export class NotAMemberError extends Error {
  override readonly name = "NotAMemberError";

  constructor(
    readonly room: string,
    readonly memberId: string,
  ) {
    super(`member ${describe(memberId)} has not joined room ${describe(room)}`);
  }
}

const ROOM_NAME = /^[a-z0-9-]{1,32}$/;

interface Membership {
  readonly member: ChatMember;
  readonly subscription: Subscription;
}

/**
 * Chat rooms over a broker: join, leave, send to a room.
 *
 * - A member hears every line sent to the rooms it joined, and who joins and leaves, in order.
 * - It does not hear its own lines unless it joined with `{ echo: true }`.
 * - Leaving stops delivery at once, even in the middle of a round.
 *
 * @example
 * ```ts
 * const rooms = new ChatRooms({ rooms: ["lobby"] });
 * rooms.join("lobby", { id: "a", name: "Ada", receive: console.log });
 * rooms.join("lobby", { id: "b", name: "Bob", receive: console.log });
 * rooms.send("lobby", "a", "hello"); // 1: Bob hears it, Ada does not
 * ```
 */
export class ChatRooms {
  /** The broker the rooms publish on. */
  readonly broker: Broker<ChatTopics>;
  readonly maxTextLength: number;
  /** room → member id → membership, in join order. */
  readonly #rooms = new Map<string, Map<string, Membership>>();
  /** How many members received each line being sent (keyed by its payload object). */
  readonly #tallies = new WeakMap<object, { delivered: number }>();

  /**
   * @throws TypeError if a room name is not 1–32 of `a-z`, `0-9`, `-`, or `maxTextLength` is not
   *   a positive integer.
   */
  constructor(options: ChatRoomsOptions = {}) {
    const { rooms = ["lobby"], maxTextLength = 1000, broker = new Broker<ChatTopics>() } = options;
    for (const room of rooms) {
      if (typeof room !== "string" || !ROOM_NAME.test(room)) {
        throw new TypeError(`a room name must be 1–32 of a-z, 0-9 and -, got ${describe(room)}`);
      }
      this.#rooms.set(room, new Map());
    }
    if (!Number.isInteger(maxTextLength) || maxTextLength < 1) {
      throw new TypeError(
        `\`options.maxTextLength\` must be a positive integer, got ${describe(maxTextLength)}`,
      );
    }
    this.maxTextLength = maxTextLength;
    this.broker = broker;
  }

  /**
   * The rooms, in the order they were given.
   *
   * @example
   * ```ts
   * new ChatRooms({ rooms: ["lobby", "help"] }).rooms; // ["lobby", "help"]
   * ```
   */
  get rooms(): string[] {
    return [...this.#rooms.keys()];
  }

  /**
   * The members of `room`, in join order.
   *
   * @throws UnknownRoomError
   *
   * @example
   * ```ts
   * rooms.members("lobby").map((m) => m.name); // ["Ada", "Bob"]
   * ```
   */
  members(room: string): ChatMember[] {
    return [...this.#room(room).values()].map((m) => m.member);
  }

  /**
   * The rooms `memberId` has joined.
   *
   * @example
   * ```ts
   * rooms.roomsOf("a"); // ["lobby"]
   * ```
   */
  roomsOf(memberId: string): string[] {
    return [...this.#rooms].filter(([, members]) => members.has(memberId)).map(([room]) => room);
  }

  // #region join
  /**
   * Adds `member` to `room` and tells the others. From now on it receives the room's events,
   * but not its own lines unless `echo` is set.
   *
   * @returns False if it was already a member (nothing changes).
   * @throws UnknownRoomError; TypeError if `member` lacks an id, a name or `receive()`.
   *
   * @example
   * ```ts
   * rooms.join("lobby", member, { echo: true }); // true
   * ```
   */
  join(room: string, member: ChatMember, options: { readonly echo?: boolean } = {}): boolean {
    const members = this.#room(room);
    checkMember(member);
    if (members.has(member.id)) return false;
    const echo = options.echo === true;
    const subscription = this.broker.subscribe(`chat.${room}.+`, (message) => {
      // Its own joining and leaving are answered by the caller; its own lines only on request.
      if (message.payload.from === member.id && (!echo || !("text" in message.payload))) return;
      const tally = this.#tallies.get(message.payload);
      if (tally !== undefined) tally.delivered++;
      member.receive(toEvent(room, message));
    });
    members.set(member.id, { member, subscription });
    this.broker.publish(`chat.${room}.presence`, {
      from: member.id,
      name: member.name,
      action: "joined",
    });
    return true;
  }
  // #endregion join

  /**
   * Removes the member from `room` (it hears nothing more from it, even later in the current
   * round) and tells the others.
   *
   * @returns False if it was not a member.
   * @throws UnknownRoomError
   *
   * @example
   * ```ts
   * rooms.leave("lobby", "a"); // true
   * ```
   */
  leave(room: string, memberId: string): boolean {
    const members = this.#room(room);
    const membership = members.get(memberId);
    if (membership === undefined) return false;
    membership.subscription();
    members.delete(memberId);
    this.broker.publish(`chat.${room}.presence`, {
      from: memberId,
      name: membership.member.name,
      action: "left",
    });
    return true;
  }

  /**
   * Removes the member from every room (a connection closed), even if telling the others of one
   * room fails.
   *
   * @returns The rooms it left.
   * @throws AggregateError of what telling the others threw, after leaving every room.
   *
   * @example
   * ```ts
   * socket.on("close", () => rooms.leaveAll(member.id));
   * ```
   */
  leaveAll(memberId: string): string[] {
    const left: string[] = [];
    const errors: unknown[] = [];
    for (const room of this.roomsOf(memberId)) {
      // leave() has already removed the member when telling the others fails: go on regardless.
      try {
        if (this.leave(room, memberId)) left.push(room);
      } catch (error) {
        left.push(room);
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `leaving ${left.join(", ")} failed`);
    return left;
  }

  // #region send
  /**
   * Sends a line of text from a member to everyone in `room`.
   *
   * @returns How many members received it (the sender counts only with `echo`).
   * @throws UnknownRoomError; NotAMemberError if the sender has not joined the room; TypeError if
   *   `text` is not a string or is blank; RangeError if it is longer than `maxTextLength`.
   *
   * @example
   * ```ts
   * rooms.send("lobby", "a", "hello"); // 1
   * ```
   */
  send(room: string, memberId: string, text: string): number {
    const membership = this.#room(room).get(memberId);
    if (membership === undefined) throw new NotAMemberError(room, memberId);
    if (typeof text !== "string" || text.trim() === "") {
      throw new TypeError(`\`text\` must be a non-blank string, got ${describe(text)}`);
    }
    if (text.length > this.maxTextLength) {
      throw new RangeError(
        `\`text\` is ${text.length} characters, more than ${this.maxTextLength}`,
      );
    }
    const payload = { from: memberId, name: membership.member.name, text };
    // Counted by the handlers that really deliver it (not the sender's, unless it echoes), per
    // line, so that a member who sends from inside receive() does not upset the count.
    const tally = { delivered: 0 };
    this.#tallies.set(payload, tally);
    this.broker.publish(`chat.${room}.message`, payload);
    return tally.delivered;
  }
  // #endregion send

  #room(room: string): Map<string, Membership> {
    const members = this.#rooms.get(room);
    if (members === undefined) throw new UnknownRoomError(room, this.rooms);
    return members;
  }
}

function checkMember(member: ChatMember): void {
  if (
    typeof member !== "object" ||
    member === null ||
    typeof member.id !== "string" ||
    typeof member.name !== "string" ||
    typeof member.receive !== "function"
  ) {
    throw new TypeError(
      `\`member\` must have a string id and name and a receive() method, got ${describe(member)}`,
    );
  }
}

function toEvent(
  room: string,
  message: Message<
    string,
    ChatTopics[`chat.${string}.message`] | ChatTopics[`chat.${string}.presence`]
  >,
): ChatEvent {
  const { payload, id, timestamp } = message;
  return "text" in payload
    ? {
        kind: "message",
        room,
        from: payload.from,
        name: payload.name,
        text: payload.text,
        id,
        timestamp,
      }
    : {
        kind: "presence",
        room,
        from: payload.from,
        name: payload.name,
        action: payload.action,
        id,
        timestamp,
      };
}
