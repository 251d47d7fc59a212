// Mistake: one unsubscribe function per member, not per membership: joining a second room
// overwrites the first room's, so leaving the lobby unsubscribes the member from the room it
// joined last. Caught by "one room keeps the member in the others".
/**
 * Chat rooms on a broker: each room is a topic, `room.<name>`; joining subscribes the member to
 * it, leaving unsubscribes, sending publishes. `npm run demo chat` serves the finished version
 * over WebSockets.
 */
import { Broker, type Subscription } from "../../../../patterns/pubsub/index";

/** One line of chat. */
export interface ChatLine {
  readonly room: string;
  /** The sender's member id. */
  readonly from: string;
  readonly text: string;
}

/** A member: an id, and where its lines go (a WebSocket, in the real server). */
export interface Member {
  readonly id: string;
  receive(line: ChatLine): void;
}

/** The member tried to send to a room it has not joined. */
export class NotAMemberError extends Error {
  override readonly name = "NotAMemberError";

  constructor(
    readonly room: string,
    readonly memberId: string,
  ) {
    super(`${memberId} has not joined room ${JSON.stringify(room)}`);
  }
}

interface Membership {
  readonly subscription: Subscription;
  readonly echo: boolean;
}

// A room name becomes a topic level: a "+" or "#" in it would subscribe to *other* rooms, and a
// "." would reach into a sub-topic. Allow-list the characters rather than block-list those.
const ROOM_NAME = /^[a-z0-9-]+$/;

export class ChatRooms {
  /** The broker the rooms publish on, one topic per room. */
  readonly broker = new Broker<{ [room: `room.${string}`]: ChatLine }>();
  /** room → member id → membership. */
  readonly #rooms = new Map<string, Map<string, Membership>>();
  /** How many members the send under way has delivered its line to. */
  #received = 0;
  readonly #lastSubscription = new Map<string, Subscription>();

  /**
   * Adds `member` to `room` (a name of a-z, 0-9 and -; anything else is a TypeError). It then
   * receives every line sent there, except its own unless `echo` is set. Joining twice is a no-op.
   */
  join(room: string, member: Member, options: { readonly echo?: boolean } = {}): void {
    if (!ROOM_NAME.test(room)) {
      throw new TypeError(`a room name is made of a-z, 0-9 and -, got ${JSON.stringify(room)}`);
    }
    const members = this.#rooms.get(room) ?? new Map<string, Membership>();
    this.#rooms.set(room, members);
    if (members.has(member.id)) return;
    const echo = options.echo === true;
    const subscription = this.broker.subscribe(`room.${room}`, ({ payload }) => {
      if (payload.from === member.id && !echo) return;
      this.#received++;
      member.receive(payload);
    });
    this.#lastSubscription.set(member.id, subscription);
    members.set(member.id, { subscription, echo });
  }

  /** Removes the member from `room`: it receives nothing more from it. Returns whether it was in. */
  leave(room: string, memberId: string): boolean {
    const membership = this.#rooms.get(room)?.get(memberId);
    if (membership === undefined) return false;
    // Unsubscribing (not just forgetting the member) is what stops delivery, even mid-round.
    this.#lastSubscription.get(memberId)?.();
    this.#rooms.get(room)?.delete(memberId);
    return true;
  }

  /**
   * Sends `text` from member `from` to `room`; returns how many members received it.
   * Throws NotAMemberError if `from` has not joined the room.
   */
  send(room: string, from: string, text: string): number {
    const sender = this.#rooms.get(room)?.get(from);
    if (sender === undefined) throw new NotAMemberError(room, from);
    // Count deliveries, not handlers: publish() also counts the sender's own handler (which drops
    // the line), any listener that is not a member, and not a member removed mid-send. A member
    // that sends from its receive() starts a count of its own, so keep the outer one aside.
    const outer = this.#received;
    this.#received = 0;
    try {
      this.broker.publish(`room.${room}`, { room, from, text });
      return this.#received;
    } finally {
      this.#received = outer;
    }
  }
}
