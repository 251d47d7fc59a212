// Approach: Count deliveries per line (a WeakMap keyed by the line), not in a saved-and-restored field
//
// - Gains: each send's count hangs off its own line object, so a member replying from its
//   receive() (a nested send) cannot disturb the outer count: no field to save aside and restore
//   in a `finally`. The WeakMap lets a line and its count be collected together.
// - Costs: it relies on the broker handing every handler the very object that was published. A
//   broker that copies payloads (through Redis, a worker, structuredClone) would count nothing;
//   the answer key's field, kept around a synchronous publish, does not care what the broker
//   does with the payload.

// The given code is the answer key's; what follows is this approach's own.
import type { ChatLine, Member } from "../chat-rooms";
import { NotAMemberError } from "../chat-rooms";

export type { ChatLine, Member };
export { NotAMemberError };

/**
 * Chat rooms on a broker: each room is a topic, `room.<name>`; joining subscribes the member to
 * it, leaving unsubscribes, sending publishes. `npm run demo chat` serves the finished version
 * over WebSockets.
 */
import { Broker, type Subscription } from "../../../../patterns/pubsub/index";

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
  /** Each line being sent → how many members it has reached so far. */
  readonly #deliveries = new WeakMap<ChatLine, { count: number }>();

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
      const delivery = this.#deliveries.get(payload);
      if (delivery) delivery.count++;
      member.receive(payload);
    });
    members.set(member.id, { subscription, echo });
  }

  /** Removes the member from `room`: it receives nothing more from it. Returns whether it was in. */
  leave(room: string, memberId: string): boolean {
    const membership = this.#rooms.get(room)?.get(memberId);
    if (membership === undefined) return false;
    // Unsubscribing (not just forgetting the member) is what stops delivery, even mid-round.
    membership.subscription();
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
    // Count deliveries, not handlers, on the line itself: a member that sends from its receive()
    // sends another line object, with a count of its own, and nothing needs saving aside.
    const line: ChatLine = { room, from, text };
    const delivery = { count: 0 };
    this.#deliveries.set(line, delivery);
    this.broker.publish(`room.${room}`, line);
    return delivery.count;
  }
}
