import { describe, expect, it } from "vitest";
import { NAME, ProtocolError, parseClientFrame } from "./protocol";

const parse = (frame: unknown) =>
  parseClientFrame(typeof frame === "string" ? frame : JSON.stringify(frame), 200);
const code = (frame: unknown) => {
  const result = parse(frame);
  return result instanceof ProtocolError ? result.code : "ok";
};

describe("parseClientFrame()", () => {
  it("accepts the four frame types", () => {
    expect(parse({ type: "name", name: "Ada" })).toEqual({ type: "name", name: "Ada" });
    expect(parse({ type: "join", room: "lobby" })).toEqual({
      type: "join",
      room: "lobby",
      echo: false,
    });
    expect(parse({ type: "join", room: "lobby", echo: true })).toEqual({
      type: "join",
      room: "lobby",
      echo: true,
    });
    expect(parse({ type: "leave", room: "lobby" })).toEqual({ type: "leave", room: "lobby" });
    expect(parse({ type: "send", room: "lobby", text: "hi", extra: 1 })).toEqual({
      type: "send",
      room: "lobby",
      text: "hi",
    });
  });

  it.each([
    ["{", "invalid-json"],
    ["", "invalid-json"],
    ["[1,2]", "invalid-frame"],
    ["42", "invalid-frame"],
    ["null", "invalid-frame"],
    [{ room: "lobby" }, "unknown-type"],
    [{ type: "shout" }, "unknown-type"],
    [{ type: "join" }, "invalid-frame"],
    [{ type: "join", room: 1 }, "invalid-frame"],
    [{ type: "join", room: "lobby", echo: "yes" }, "invalid-frame"],
    [{ type: "send", room: "lobby" }, "invalid-frame"],
    [{ type: "send", text: "hi" }, "invalid-frame"],
    [{ type: "name" }, "invalid-frame"],
    [{ type: "name", name: "" }, "invalid-name"],
    [{ type: "name", name: " Ada" }, "invalid-name"],
    [{ type: "name", name: "<script>" }, "invalid-name"],
    [{ type: "name", name: "x".repeat(33) }, "invalid-name"],
    ["x".repeat(201), "too-large"],
  ])("answers %j with %s", (frame, expected) => {
    expect(code(frame)).toBe(expected);
  });

  it("accepts a frame of exactly the longest length", () => {
    const frame = JSON.stringify({ type: "send", room: "lobby", text: "hi" });

    expect(parseClientFrame(frame, frame.length)).not.toBeInstanceOf(ProtocolError);
  });

  it.each([
    ["x".repeat(201), "frames are limited to 200 characters"],
    ["{", "a frame must be one JSON object"],
    ["[1,2]", "a frame must be a JSON object with a type"],
    [{ type: "join" }, 'a "join" frame needs a string "room"'],
    [{ type: "name", name: "<script>" }, "a name is 1–32 letters, digits, spaces, '-', '_' or '.'"],
    [{ type: "join", room: "lobby", echo: "yes" }, '"echo" must be true or false'],
    [{ type: "shout" }, 'unknown frame type "shout": use name, join, leave or send'],
    [{ room: "lobby" }, "unknown frame type (none): use name, join, leave or send"],
  ])("explains what is wrong with %j", (frame, message) => {
    const error = parse(frame) as ProtocolError;

    expect(error.name).toBe("ProtocolError");
    expect(error.message).toBe(message);
  });

  it("builds error frames", () => {
    expect(new ProtocolError("too-large", "too big").toFrame()).toEqual({
      type: "error",
      code: "too-large",
      message: "too big",
    });
  });
});

describe("parseClientFrame() on names", () => {
  it("returns the name NFKC-normalised", () => {
    expect(parseClientFrame('{"type":"name","name":"\uff21\uff44\uff41"}', 4096)).toEqual({
      type: "name",
      name: "Ada",
    });
  });

  it("refuses a name of invisible letters (a Hangul filler)", () => {
    expect(parseClientFrame('{"type":"name","name":"\u3164"}', 4096)).toMatchObject({
      code: "invalid-name",
    });
  });
});

describe("NAME", () => {
  it("accepts letters of any script, digits, and inner spaces", () => {
    for (const name of ["Ada", "Ada Lovelace", "josé_1", "李雷", "a", "x.y-z", "R2 D2"]) {
      expect(NAME.test(name), name).toBe(true);
    }
  });

  it("refuses other punctuation, inside a name too", () => {
    for (const name of ["a!b", "a:b", "Ada?"]) {
      expect(NAME.test(name), name).toBe(false);
    }
  });
});
