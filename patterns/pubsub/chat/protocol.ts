/**
 * The chat's wire protocol: JSON text frames, one object per frame, with a `type`. Everything a
 * client sends is untrusted, so `parseClientFrame()` checks every field and returns a
 * {@link ProtocolError} (with a machine-readable `code`) instead of throwing into the server.
 *
 * @module
 */
import { normalizeName } from "./text";

// #region frames
/**
 * A frame a client sends.
 *
 * @example
 * ```ts
 * const frames: ClientFrame[] = [
 *   { type: "name", name: "Ada" },
 *   { type: "join", room: "lobby", echo: true },
 *   { type: "send", room: "lobby", text: "hello" },
 *   { type: "leave", room: "lobby" },
 * ];
 * ```
 */
export type ClientFrame =
  | { readonly type: "name"; readonly name: string }
  | { readonly type: "join"; readonly room: string; readonly echo?: boolean }
  | { readonly type: "leave"; readonly room: string }
  | { readonly type: "send"; readonly room: string; readonly text: string };

/**
 * A frame the server sends.
 *
 * @example
 * ```ts
 * const frame: ServerFrame = { type: "error", code: "unknown-room", message: "unknown room \"x\"" };
 * ```
 */
export type ServerFrame =
  | {
      readonly type: "welcome";
      readonly id: string;
      readonly name: string;
      readonly rooms: string[];
    }
  | { readonly type: "named"; readonly name: string }
  | { readonly type: "joined"; readonly room: string; readonly members: string[] }
  | { readonly type: "left"; readonly room: string }
  | { readonly type: "sent"; readonly room: string; readonly recipients: number }
  | {
      readonly type: "message";
      readonly room: string;
      readonly name: string;
      readonly text: string;
      readonly id: string;
      readonly timestamp: number;
      /** True on the sender's own echoed line. */
      readonly own: boolean;
    }
  | {
      readonly type: "presence";
      readonly room: string;
      readonly name: string;
      readonly action: "joined" | "left";
    }
  | { readonly type: "error"; readonly code: ErrorCode; readonly message: string };

/**
 * Why a frame was refused.
 *
 * @example
 * ```ts
 * const code: ErrorCode = "invalid-json";
 * ```
 */
export type ErrorCode =
  | "invalid-json"
  | "invalid-frame"
  | "unknown-type"
  | "too-large"
  | "binary-not-supported"
  | "invalid-name"
  | "unknown-room"
  | "not-a-member"
  | "invalid-text"
  /** Another connected member has this name, or one that looks like it. */
  | "name-taken"
  /** More frames than the connection's rate limit; they were dropped. */
  | "rate-limited"
  /** This address already has as many connections as the server allows; this one is closed. */
  | "too-many-connections"
  /** A bug on the server's side; it is logged there. */
  | "internal-error";
// #endregion frames

/**
 * A refused frame: `code` goes to the client in an error frame, the connection stays open.
 *
 * @example
 * ```ts
 * const result = parseClientFrame("{", 4096);
 * if (result instanceof ProtocolError) socket.send(JSON.stringify(result.toFrame()));
 * ```
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  /**
   * The error frame to send back.
   *
   * @example
   * ```ts
   * new ProtocolError("too-large", "frame too large").toFrame(); // { type: "error", … }
   * ```
   */
  toFrame(): ServerFrame {
    return { type: "error", code: this.code, message: this.message };
  }
}

/**
 * A display name: 1–32 characters, letters, digits, spaces, `-`, `_`, `.`; no leading or trailing
 * space.
 *
 * @example
 * ```ts
 * NAME.test("Ada Lovelace"); // true
 * ```
 */
export const NAME = /^[\p{L}\p{N}_.-](?:[\p{L}\p{N} _.-]{0,30}[\p{L}\p{N}_.-])?$/u;

// #region parse
/**
 * Parses and checks one text frame from a client.
 *
 * @param maxLength The longest frame accepted, in UTF-16 code units: a longer one is refused
 *   with `too-large` (frames beyond the socket's `maxPayload` never get here: the socket closes).
 * @returns The frame, or the {@link ProtocolError} to answer with.
 *
 * @example
 * ```ts
 * parseClientFrame('{"type":"join","room":"lobby"}', 4096); // { type: "join", room: "lobby" }
 * parseClientFrame("not json", 4096); // ProtocolError { code: "invalid-json" }
 * ```
 */
export function parseClientFrame(text: string, maxLength: number): ClientFrame | ProtocolError {
  if (text.length > maxLength) {
    return new ProtocolError("too-large", `frames are limited to ${maxLength} characters`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return new ProtocolError("invalid-json", "a frame must be one JSON object");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return new ProtocolError("invalid-frame", "a frame must be a JSON object with a type");
  }
  const frame = data as Record<string, unknown>;
  const str = (key: string): string | ProtocolError =>
    typeof frame[key] === "string"
      ? (frame[key] as string)
      : new ProtocolError(
          "invalid-frame",
          `a "${String(frame.type)}" frame needs a string "${key}"`,
        );
  switch (frame.type) {
    case "name": {
      const raw = str("name");
      if (raw instanceof ProtocolError) return raw;
      // NFKC first (fullwidth letters, a no-break space), then the shape; invisible letters out.
      const name = normalizeName(raw);
      if (name === undefined || !NAME.test(name)) {
        return new ProtocolError(
          "invalid-name",
          "a name is 1–32 letters, digits, spaces, '-', '_' or '.'",
        );
      }
      return { type: "name", name };
    }
    case "join": {
      const room = str("room");
      if (room instanceof ProtocolError) return room;
      if (frame.echo !== undefined && typeof frame.echo !== "boolean") {
        return new ProtocolError("invalid-frame", '"echo" must be true or false');
      }
      return { type: "join", room, echo: frame.echo === true };
    }
    case "leave": {
      const room = str("room");
      return room instanceof ProtocolError ? room : { type: "leave", room };
    }
    case "send": {
      const room = str("room");
      if (room instanceof ProtocolError) return room;
      const text = str("text");
      return text instanceof ProtocolError ? text : { type: "send", room, text };
    }
    default:
      return new ProtocolError(
        "unknown-type",
        `unknown frame type ${JSON.stringify(frame.type) ?? "(none)"}: use name, join, leave or send`,
      );
  }
}
// #endregion parse
