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
    expect(inbox.a?.[0]).toMatchObject({ kind: "presence", room: "lobby", from: "b" });
  });

  it("says whether a join added the member", () => {
    const ada = member("a", "Ada");

    expect(rooms.join("lobby", ada)).toBe(true);
    expect(rooms.join("lobby", ada)).toBe(false);
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
    expect(() => rooms.leaveAll("a")).not.toThrow();
    expect(rooms.roomsOf("a")).toEqual([]);
  });

  it("refuses an unknown room with UnknownRoomError listing the rooms", () => {
    expect(() => rooms.join("+", member("m"))).toThrow(UnknownRoomError);
    expect(() => rooms.members("nope")).toThrow('unknown room "nope" (rooms: lobby, random)');
  });

  it("names the rooms it left when telling the others failed", () => {
    const ada = member("a", "Ada");
    rooms.join("lobby", ada);
    rooms.join("random", ada);
    rooms.join(
      "random",
      member("broken", "Broken", () => {
        throw new Error("socket gone");
      }),
    );

    expect(() => rooms.leaveAll("a")).toThrow("leaving lobby, random failed");
  });

  it("refuses a member without id, name or receive()", () => {
    expect(() => rooms.join("lobby", { id: "x" } as never)).toThrow(TypeError);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a number id", { id: 1, name: "Ada", receive() {} }],
    ["no name", { id: "a", receive() {} }],
    ["no receive()", { id: "a", name: "Ada" }],
  ])("refuses a member with %s, with a TypeError saying what a member needs", (_what, bad) => {
    expect(() => rooms.join("lobby", bad as never)).toThrow(
      /^`member` must have a string id and name and a receive\(\) method, got /,
    );
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
    expect(small.send("lobby", "a", "hello")).toBe(0);
  });

  it("says why it refused a line", () => {
    const small = new ChatRooms({ maxTextLength: 5 });
    small.join("lobby", member("a"));

    expect(() => small.send("lobby", "z", "hi")).toThrow(
      expect.objectContaining({
        name: "NotAMemberError",
        message: 'member "z" has not joined room "lobby"',
      }),
    );
    expect(() => small.send("lobby", "a", 42 as never)).toThrow(
      new TypeError("`text` must be a non-blank string, got 42"),
    );
    expect(() => small.send("lobby", "a", "toolong")).toThrow(
      new RangeError("`text` is 7 characters, more than 5"),
    );
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

  it("says what is wrong with a room name or text limit, and accepts a limit of 1", () => {
    expect(() => new ChatRooms({ rooms: [42 as never] })).toThrow(
      new TypeError("a room name must be 1–32 of a-z, 0-9 and -, got 42"),
    );
    expect(() => new ChatRooms({ maxTextLength: 0 })).toThrow(
      new TypeError("`options.maxTextLength` must be a positive integer, got 0"),
    );
    expect(new ChatRooms({ maxTextLength: 1 }).maxTextLength).toBe(1);
  });

  it("names an unknown room in an UnknownRoomError", () => {
    expect(() => rooms.members("nope")).toThrow(
      expect.objectContaining({ name: "UnknownRoomError", room: "nope" }),
    );
  });
});
