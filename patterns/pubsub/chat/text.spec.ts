import { describe, expect, it } from "vitest";
import { CONFUSABLES, cleanText, nameSkeleton, normalizeName, printable } from "./text";

describe("cleanText()", () => {
  it("turns line breaks and tabs into spaces", () => {
    expect(cleanText("one\r\ntwo\nthree\rfour\tfive\u2028six\u000bseven\u000ceight")).toBe(
      "one two three four five six seven eight",
    );
  });

  it("removes terminal escapes' ESC, bell, NUL, DEL, C1 controls and bidi controls", () => {
    expect(cleanText("a\u001b[31mb\u0007c\u0000d\u007fe\u009bf\u202eg\u2066h\u200ei")).toBe(
      "a[31mbcdefghi",
    );
  });

  it("keeps emoji joiners, variation selectors and every script", () => {
    const text = "family 👨\u200d👩\u200d👧 heart ❤\ufe0f Ελληνικά 中文 עברית";
    expect(cleanText(text)).toBe(text);
  });
});

describe("printable()", () => {
  it("shows control characters as escapes", () => {
    expect(printable("a\u001b[2Jb\u0000c\u202ed\n")).toBe("a\\x1b[2Jb\\x00c\\u202ed\\x0a");
    expect(printable("\u061c")).toBe("\\u061c"); // four hex digits, padded
  });

  it("leaves ordinary text alone", () => {
    expect(printable("c1 connected: Zoë 中文")).toBe("c1 connected: Zoë 中文");
  });
});

describe("normalizeName()", () => {
  it("applies NFKC: fullwidth letters, ligatures, no-break spaces", () => {
    expect(normalizeName("\uff21\uff44\uff41")).toBe("Ada");
    expect(normalizeName("\ufb01sh")).toBe("fish");
    expect(normalizeName("Ada\u00a0L")).toBe("Ada L");
  });

  it("composes accents, so one name has one spelling", () => {
    expect(normalizeName("Zoe\u0308")).toBe("Zoë");
  });

  it.each([
    ["a zero-width space", "A\u200bda"],
    ["a zero-width joiner", "A\u200dda"],
    ["a right-to-left override", "\u202eAda"],
    ["a Hangul filler", "\u3164"],
    ["a halfwidth Hangul filler", "Ada\uffa0"],
    ["a soft hyphen", "A\u00adda"],
    ["a control character", "Ada\u0007"],
  ])("refuses %s", (_, name) => {
    expect(normalizeName(name)).toBeUndefined();
  });
});

describe("nameSkeleton()", () => {
  it.each([
    ["case", "Ada", "ADA"],
    ["a Cyrillic а", "Ada", "Ad\u0430"],
    ["a Greek Ο for an O", "Otto", "\u039ftto"],
    ["fullwidth letters", "Ada", "\uff21\uff44\uff41"],
    ["a capital I for an l", "Bill", "BiII"],
    ["a 1 for an l", "Bill", "Bi11"],
    ["a 0 for an o", "Bob", "B0b"],
    ["rn for m", "Sam", "Sarn"],
    ["vv for w", "Owen", "Ovven"],
    ["separators", "Ada Lovelace", "Ada_Love.lace"],
  ])("makes look-alikes one (%s)", (_, a, b) => {
    expect(nameSkeleton(a)).toBe(nameSkeleton(b));
  });

  it.each([
    ["Ada", "Eda"],
    ["Ali", "All"],
    ["Bob", "Rob"],
  ])("keeps names that do not look alike apart (%s, %s)", (a, b) => {
    expect(nameSkeleton(a)).not.toBe(nameSkeleton(b));
  });

  it("is the plain lower-case Latin spelling", () => {
    expect(nameSkeleton("\u0410da Lo-vel\u0430ce")).toBe("adalovelace");
    expect(nameSkeleton("BiII")).toBe("bill");
  });

  it("maps every confusable to one plain Latin letter", () => {
    for (const [from, to] of Object.entries(CONFUSABLES)) {
      expect(to, from).toMatch(/^[a-z]$/);
    }
  });
});
