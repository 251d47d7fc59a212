import fc from "fast-check";
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
/** What `act` threw; with `required`, the test fails if it threw nothing. */
function thrownBy(act: () => unknown, required = true): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  if (required) throw new Error("expected a throw");
  return undefined;
}
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

  it("names the room and the sender in the NotAMemberError, and delivers nothing", () => {
    rooms.join("lobby", member("ada"));
    rooms.join("random", member("bob"));

    const error = thrownBy(() => rooms.send("lobby", "bob", "hi"));

    expect(error).toBeInstanceOf(NotAMemberError);
    expect(error).toMatchObject({ room: "lobby", memberId: "bob" });
    expect(texts("ada")).toEqual([]);
  });
});

describe("the count send() returns", () => {
  it("is 0 when the sender is alone in the room", () => {
    rooms.join("lobby", member("ada"));

    expect(rooms.send("lobby", "ada", "anyone?")).toBe(0);
  });

  it("does not count a listener on the room's topic that is not a member", () => {
    const logged: string[] = [];
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", member("bob"));
    rooms.broker.subscribe("room.lobby", (m) => logged.push(m.payload.text));
    rooms.broker.subscribe("room.#", (m) => logged.push(m.payload.text));

    const count = rooms.send("lobby", "ada", "hello");

    expect(count).toBe(1);
    expect(logged).toEqual(["hello", "hello"]);
  });

  it("does not count a member who left before the line reached it", () => {
    rooms.join(
      "lobby",
      member("ada", (line) => {
        if (line.text === "kick cy") rooms.leave("lobby", "cy");
      }),
    );
    rooms.join("lobby", member("bob"));
    rooms.join("lobby", member("cy"));

    expect(rooms.send("lobby", "bob", "kick cy")).toBe(1);
  });

  it("counts every member reached when the sender itself is kicked mid-send", () => {
    // Ada moderates: whoever says "spam" is removed at once, the sender included.
    rooms.join(
      "lobby",
      member("ada", (line) => {
        if (line.text === "spam") rooms.leave("lobby", line.from);
      }),
    );
    rooms.join("lobby", member("bob"));
    rooms.join("lobby", member("cy"));

    expect(rooms.send("lobby", "bob", "spam")).toBe(2);
    expect(texts("cy")).toEqual(["spam"]);
    expect(() => rooms.send("lobby", "bob", "again")).toThrow(NotAMemberError);
  });

  it("counts a line sent from a member's receive() apart from the line that caused it", () => {
    const replies: number[] = [];
    rooms.join("lobby", member("ada"));
    rooms.join(
      "lobby",
      member("bot", (line) => {
        if (line.text === "hello") replies.push(rooms.send("lobby", "bot", "welcome"));
      }),
    );
    rooms.join("lobby", member("bob"));

    const count = rooms.send("lobby", "ada", "hello");

    expect(count).toBe(2);
    expect(replies).toEqual([2]);
    expect(texts("bob")?.sort()).toEqual(["hello", "welcome"]);
  });

  it("counts the members of that room only, each once", () => {
    const ada = member("ada");
    rooms.join("lobby", ada);
    rooms.join("random", ada);
    rooms.join("lobby", member("bob"));
    rooms.join("random", member("cy"));
    rooms.join("random", member("dee"));

    expect(rooms.send("random", "ada", "hi")).toBe(2);
    expect(rooms.send("lobby", "ada", "hi")).toBe(1);
  });
});

describe("joining", () => {
  it("accepts every name made of a-z, 0-9 and -, and rejects any other with a TypeError", () => {
    const allowed = /^[a-z0-9-]+$/;
    fc.assert(
      fc.property(
        fc.oneof(
          // Near misses every run, whatever the seed: a valid name with a line break around it.
          fc.constantFrom("lobby\n", "lobby\nevil", "\nlobby", "lobby-2\n"),
          fc.string({ unit: fc.constantFrom(..."ab9-+#./ _AZé\n\t*$"), maxLength: 6 }),
          fc.string({ maxLength: 6 }),
        ),
        (name) => {
          const attempt = new ChatRooms();
          const error = thrownBy(() => attempt.join(name, { id: "m", receive() {} }), false);
          if (allowed.test(name)) expect(error, JSON.stringify(name)).toBeUndefined();
          else expect(error, JSON.stringify(name)).toBeInstanceOf(TypeError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ["a room of letters, digits and dashes", "room-42"],
    ["a single dash", "-"],
    ["a single digit", "7"],
  ])("accepts %s, and delivers in it", (_, name) => {
    rooms.join(name, member("ada"));
    rooms.join(name, member("bob"));

    expect(rooms.send(name, "ada", "hi")).toBe(1);
    expect(texts("bob")).toEqual(["hi"]);
  });

  it.each([
    ["a space", "lobby 2"],
    ["a trailing newline", "lobby\n"],
    ["a leading space", " lobby"],
    ["an upper-case letter", "lobbY"],
    ["an underscore", "lob_by"],
    ["a wildcard inside", "lob+by"],
    ["a hash at the end", "lobby#"],
    ["a dot", "a.b"],
    ["a non-ASCII letter", "café"],
  ])("rejects a name with %s", (_, name) => {
    expect(() => rooms.join(name, member("mallory"))).toThrow(TypeError);
  });

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

  it("lets the member join again: it then receives each line once, and counts once", () => {
    const bob = member("bob");
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", bob);
    rooms.leave("lobby", "bob");
    rooms.join("lobby", bob);

    expect(rooms.send("lobby", "ada", "back?")).toBe(1);
    expect(texts("bob")).toEqual(["back?"]);
  });

  it("returns false for a room the member never joined, and leaves it in its rooms", () => {
    rooms.join("lobby", member("ada"));
    rooms.join("lobby", member("bob"));

    expect(rooms.leave("random", "bob")).toBe(false);
    expect(rooms.leave("lobby", "cy")).toBe(false);
    expect(rooms.send("lobby", "ada", "still here")).toBe(1);
  });

  it("means the member can no longer send there", () => {
    rooms.join("lobby", member("ada"));
    rooms.leave("lobby", "ada");

    expect(() => rooms.send("lobby", "ada", "still here?")).toThrow(NotAMemberError);
  });
});

describe("the error a non-member's send() throws", () => {
  it("is named NotAMemberError", () => {
    rooms.join("lobby", member("ada"));
    expect(rooms.send("lobby", "ada", "hi")).toBe(0);
    expect((thrownBy(() => rooms.send("lobby", "mallory", "hi")) as Error).name).toBe(
      "NotAMemberError",
    );
  });
});
