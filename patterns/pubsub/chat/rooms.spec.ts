import { beforeEach, describe, expect, it } from "vitest";
import { Broker } from "../broker";
import {
  type ChatEvent,
  type ChatMember,
  ChatRooms,
  type ChatTopics,
  NotAMemberError,
  UnknownRoomError,
} from "./rooms";

let rooms: ChatRooms;
let inbox: Record<string, ChatEvent[]>;

const member = (id: string, name = id, onEvent?: (event: ChatEvent) => void): ChatMember => {
  inbox[id] = [];
  return {
    id,
    name,
    receive(event) {
      inbox[id]?.push(event);
      onEvent?.(event);
    },
  };
};
const lines = (id: string) =>
  (inbox[id] ?? []).map((e) =>
    e.kind === "message" ? `${e.room} ${e.name}: ${e.text}` : `${e.room} ${e.name} ${e.action}`,
  );

beforeEach(() => {
  rooms = new ChatRooms({ rooms: ["lobby", "random"] });
  inbox = {};
});

describe("joining and leaving", () => {
  it("tells the other members, not the one joining or leaving", () => {
    rooms.join("lobby", member("a", "Ada"));
    rooms.join("lobby", member("b", "Bob"), { echo: true });
    rooms.leave("lobby", "a");

    expect(lines("a")).toEqual(["lobby Bob joined"]);
    expect(lines("b")).toEqual(["lobby Ada left"]);
  });

  it("lists members in join order and each member's rooms", () => {
    const ada = member("a", "Ada");
    rooms.join("lobby", ada);
    rooms.join("random", ada);
    rooms.join("lobby", member("b", "Bob"));

    expect(rooms.members("lobby").map((m) => m.name)).toEqual(["Ada", "Bob"]);
    expect(rooms.roomsOf("a")).toEqual(["lobby", "random"]);
    expect(rooms.join("lobby", ada)).toBe(false);
    expect(rooms.leaveAll("a")).toEqual(["lobby", "random"]);
    expect(rooms.roomsOf("a")).toEqual([]);
    expect(rooms.leave("lobby", "a")).toBe(false);
  });

  it("leaves every room on leaveAll(), even when a member's receive() throws", () => {
    const ada = member("a", "Ada");
    rooms.join("lobby", ada);
    rooms.join("random", ada);
    rooms.join(
      "lobby",
      member("broken", "Broken", () => {
        throw new Error("socket gone");
      }),
    );

    expect(() => rooms.leaveAll("a")).toThrow(AggregateError);
    expect(rooms.roomsOf("a")).toEqual([]);
  });

  it("refuses an unknown room with UnknownRoomError listing the rooms", () => {
    expect(() => rooms.join("+", member("m"))).toThrow(UnknownRoomError);
    expect(() => rooms.members("nope")).toThrow('unknown room "nope" (rooms: lobby, random)');
  });

  it("refuses a member without id, name or receive()", () => {
    expect(() => rooms.join("lobby", { id: "x" } as never)).toThrow(TypeError);
  });
});

describe("sending", () => {
  it("reaches the other members of the room, with the sender's name and the message id", () => {
    rooms.join("lobby", member("a", "Ada"));
    rooms.join("lobby", member("b", "Bob"));
    rooms.join("random", member("c", "Cy"));

    expect(rooms.send("lobby", "a", "hello")).toBe(1);

    expect(lines("b")).toEqual(["lobby Ada: hello"]);
    expect(lines("a")).toEqual(["lobby Bob joined"]);
    expect(lines("c")).toEqual([]);
    expect(inbox.b?.[0]).toMatchObject({ kind: "message", from: "a", id: expect.any(String) });
  });

  it("echoes to the sender who asked for it, and counts it", () => {
    rooms.join("lobby", member("a", "Ada"), { echo: true });
    rooms.join("lobby", member("b", "Bob"));

    expect(rooms.send("lobby", "a", "hello")).toBe(2);
    expect(lines("a")).toEqual(["lobby Bob joined", "lobby Ada: hello"]);
  });

  it("counts exactly, even when a member replies from inside receive()", () => {
    rooms.join("lobby", member("a", "Ada"));
    rooms.join(
      "lobby",
      member("bot", "Bot", (event) => {
        if (event.kind === "message" && event.text === "ping") rooms.send("lobby", "bot", "pong");
      }),
    );
    rooms.join("lobby", member("c", "Cy"));

    expect(rooms.send("lobby", "a", "ping")).toBe(2);
    expect(lines("c").slice(-2)).toEqual(["lobby Bot: pong", "lobby Ada: ping"]);
  });

  it("stops at once for a member who leaves during a send", () => {
    rooms.join(
      "lobby",
      member("mod", "Mod", () => rooms.leave("lobby", "c")),
    );
    rooms.join("lobby", member("b", "Bob"));
    rooms.join("lobby", member("c", "Cy"));
    inbox.c = [];

    expect(rooms.send("lobby", "b", "bye cy")).toBe(1);
    expect(inbox.c).toEqual([]);
  });

  it("refuses a non-member, blank or long text", () => {
    const small = new ChatRooms({ maxTextLength: 5 });
    small.join("lobby", member("a"));

    expect(() => small.send("lobby", "z", "hi")).toThrow(NotAMemberError);
    expect(() => small.send("lobby", "a", "   ")).toThrow(TypeError);
    expect(() => small.send("lobby", "a", "toolong")).toThrow(RangeError);
    expect(small.send("lobby", "a", "ok")).toBe(0);
  });

  it("publishes on the broker, where others can listen in", () => {
    const broker = new Broker<ChatTopics>();
    const watched = new ChatRooms({ broker });
    const log: string[] = [];
    broker.subscribe("chat.+.message", (m) => {
      log.push(`${m.topic} ${m.payload.text}`);
    });
    watched.join("lobby", member("a"));

    watched.send("lobby", "a", "hi");

    expect(log).toEqual(["chat.lobby.message hi"]);
  });
});

describe("configuration", () => {
  it("refuses bad room names and text limits", () => {
    expect(() => new ChatRooms({ rooms: ["Lobby"] })).toThrow(TypeError);
    expect(() => new ChatRooms({ rooms: ["a.b"] })).toThrow(TypeError);
    expect(() => new ChatRooms({ maxTextLength: 0 })).toThrow(TypeError);
    expect(new ChatRooms().rooms).toEqual(["lobby"]);
  });
});
