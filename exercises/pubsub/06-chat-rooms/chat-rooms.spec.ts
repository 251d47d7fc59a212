import { beforeEach, describe, expect, it } from "vitest";
import { type ChatLine, ChatRooms, type Member, NotAMemberError } from "./chat-rooms";

let rooms: ChatRooms;
/** What each member received, by member id. */
let inbox: Record<string, ChatLine[]>;

const member = (id: string, onReceive?: (line: ChatLine) => void): Member => {
  inbox[id] = [];
  return {
    id,
    receive(line) {
      inbox[id]?.push(line);
      onReceive?.(line);
    },
  };
};
const texts = (id: string) => inbox[id]?.map((line) => line.text);

beforeEach(() => {
  rooms = new ChatRooms();
  inbox = {};
});

describe("sending to a room", () => {
  it("delivers the line to every other member and returns how many received it", () => {
    for (const id of ["ada", "bob", "cy"]) rooms.join("lobby", member(id));

    const count = rooms.send("lobby", "ada", "hello");

    expect(count).toBe(2);
    expect(inbox.bob).toEqual([{ room: "lobby", from: "ada", text: "hello" }]);
    expect(inbox.cy).toEqual([{ room: "lobby", from: "ada", text: "hello" }]);
  });

  it("does not send the line back to its sender", () => {
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", member("bob"));

    rooms.send("lobby", "ada", "hello");

    expect(inbox.ada).toEqual([]);
  });

  it("sends it back, and counts it, if the sender joined with echo", () => {
    rooms.join("lobby", member("ada"), { echo: true });
    rooms.join("lobby", member("bob"));

    expect(rooms.send("lobby", "ada", "hello")).toBe(2);
    expect(texts("ada")).toEqual(["hello"]);
  });

  it("reaches the members of that room only", () => {
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", member("bob"));
    rooms.join("lobby-2", member("cy"));
    rooms.join("random", member("dee"));

    rooms.send("lobby", "ada", "hello");

    expect(texts("cy")).toEqual([]);
    expect(texts("dee")).toEqual([]);
  });

  it("reaches a member of several rooms from each, each line with its room", () => {
    const ada = member("ada");
    rooms.join("lobby", ada);
    rooms.join("random", ada);
    rooms.join("lobby", member("bob"));
    rooms.join("random", member("bob2"));

    rooms.send("lobby", "bob", "in lobby");
    rooms.send("random", "bob2", "in random");

    expect(inbox.ada?.map((l) => `${l.room}: ${l.text}`)).toEqual([
      "lobby: in lobby",
      "random: in random",
    ]);
  });

  it("refuses a sender that has not joined the room, with NotAMemberError", () => {
    rooms.join("lobby", member("ada"));

    expect(() => rooms.send("lobby", "mallory", "hi")).toThrow(NotAMemberError);
    expect(() => rooms.send("random", "ada", "hi")).toThrow(/ada has not joined room "random"/);
  });
});

describe("joining", () => {
  it("twice does not deliver twice", () => {
    const bob = member("bob");
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", bob);
    rooms.join("lobby", bob);

    expect(rooms.send("lobby", "ada", "hello")).toBe(1);
    expect(texts("bob")).toEqual(["hello"]);
  });

  it("refuses a room name that is a wildcard or reaches into other topics", () => {
    for (const name of ["+", "#", "lobby.#", "lobby.secret", "", "Lobby"]) {
      expect(() => rooms.join(name, member("mallory")), name).toThrow(TypeError);
    }
  });

  it("refuses them before they can eavesdrop on other rooms", () => {
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", member("bob"));
    try {
      rooms.join("+", member("mallory"));
    } catch {}

    rooms.send("lobby", "ada", "secret");

    expect(texts("mallory")).toEqual([]);
  });
});

describe("leaving", () => {
  it("stops delivery, and says whether the member was there", () => {
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", member("bob"));

    expect(rooms.leave("lobby", "bob")).toBe(true);
    expect(rooms.leave("lobby", "bob")).toBe(false);
    rooms.send("lobby", "ada", "anyone?");

    expect(texts("bob")).toEqual([]);
  });

  it("one room keeps the member in the others", () => {
    const bob = member("bob");
    rooms.join("lobby", bob);
    rooms.join("random", bob);
    rooms.join("lobby", member("ada"));
    rooms.join("random", member("cy"));

    rooms.leave("lobby", "bob");
    rooms.send("lobby", "ada", "in lobby");
    rooms.send("random", "cy", "in random");

    expect(texts("bob")).toEqual(["in random"]);
  });

  it("stops delivery at once, even in the middle of a send", () => {
    // Ada is a moderator bot: when anyone says "kick cy", cy leaves before the line reaches her.
    rooms.join(
      "lobby",
      member("ada", (line) => {
        if (line.text === "kick cy") rooms.leave("lobby", "cy");
      }),
    );
    rooms.join("lobby", member("bob"));
    rooms.join("lobby", member("cy"));

    rooms.send("lobby", "bob", "kick cy");

    expect(texts("ada")).toEqual(["kick cy"]);
    expect(texts("cy")).toEqual([]);
  });

  it("means the member can no longer send there", () => {
    rooms.join("lobby", member("ada"));
    rooms.leave("lobby", "ada");

    expect(() => rooms.send("lobby", "ada", "still here?")).toThrow(NotAMemberError);
  });
});
