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
    [{ type: "name", name: "" }, "invalid-name"],
    [{ type: "name", name: " Ada" }, "invalid-name"],
    [{ type: "name", name: "<script>" }, "invalid-name"],
    [{ type: "name", name: "x".repeat(33) }, "invalid-name"],
    ["x".repeat(201), "too-large"],
  ])("answers %j with %s", (frame, expected) => {
    expect(code(frame)).toBe(expected);
  });

  it("builds error frames", () => {
    expect(new ProtocolError("too-large", "too big").toFrame()).toEqual({
      type: "error",
      code: "too-large",
      message: "too big",
    });
  });
});

describe("NAME", () => {
  it("accepts letters of any script, digits, and inner spaces", () => {
    for (const name of ["Ada", "Ada Lovelace", "josé_1", "李雷", "a", "x.y-z"]) {
      expect(NAME.test(name), name).toBe(true);
    }
  });
});
