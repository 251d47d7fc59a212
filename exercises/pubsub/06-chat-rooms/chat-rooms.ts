/**
 * Chat rooms on a broker: each room is a topic, `room.<name>`; joining subscribes the member to
 * it, leaving unsubscribes, sending publishes. `npm run demo chat` serves the finished version
 * over WebSockets.
 */
import { Broker } from "../../../patterns/pubsub/index";

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

export class ChatRooms {
  /** The broker the rooms publish on, one topic per room. */
  readonly broker = new Broker<{ [room: `room.${string}`]: ChatLine }>();

  // TODO: remember, per room, each member's subscription (and whether it asked for echo).

  /**
   * Adds `member` to `room` (a name of a-z, 0-9 and -; anything else is a TypeError). It then
   * receives every line sent there, except its own unless `echo` is set. Joining twice is a no-op.
   */
  join(room: string, member: Member, options: { readonly echo?: boolean } = {}): void {
    throw new Error(
      `TODO(pubsub/06): implement join(${JSON.stringify(room)}, ${member.id}, ${JSON.stringify(options)})`,
    );
  }

  /** Removes the member from `room`: it receives nothing more from it. Returns whether it was in. */
  leave(room: string, memberId: string): boolean {
    throw new Error(`TODO(pubsub/06): implement leave(${JSON.stringify(room)}, ${memberId})`);
  }

  /**
   * Sends `text` from member `from` to `room`; returns how many members received it.
   * Throws NotAMemberError if `from` has not joined the room.
   */
  send(room: string, from: string, text: string): number {
    throw new Error(`TODO(pubsub/06): implement send(${JSON.stringify(room)}, ${from}, ${text})`);
  }
}
