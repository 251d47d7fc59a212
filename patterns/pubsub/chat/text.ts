/**
 * What the chat does to untrusted text before anyone sees it: chat lines lose their control
 * characters before they are relayed, log lines before they reach the operator's terminal, and
 * display names are normalised and compared by a look-alike skeleton.
 *
 * @module
 */

// C0 and C1 controls (ESC starts terminal escape sequences), line and paragraph separators, and
// the bidi controls that make a line read backwards (the "Trojan Source" characters).
const CONTROLS = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const LINE_BREAKS = /\r\n|[\r\n\t\v\f\u2028\u2029]/g;

// #region clean
/**
 * A chat line as it is relayed: line breaks and tabs become spaces, other control characters and
 * bidi controls are removed. Emoji joiners and variation selectors stay (they draw emoji).
 *
 * @example
 * ```ts
 * cleanText("hi\u001b[2J\r\nthere"); // "hi[2J there"
 * ```
 */
export function cleanText(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(CONTROLS, "");
}

/**
 * A line safe to print on a terminal: every control character is shown as an escape
 * (`\x1b`, `\u202e`), so that nothing a client sent can move the cursor, clear the screen or
 * reverse the text of the operator's log.
 *
 * @example
 * ```ts
 * printable("a\u001b[2Jb"); // "a\\x1b[2Jb"
 * ```
 */
export function printable(line: string): string {
  return line.replace(CONTROLS, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
// #endregion clean

// #region names
/**
 * Code points a name may not hold even when they are letters: controls, format characters
 * (zero-width spaces and joiners, bidi controls) and every default-ignorable code point, which
 * includes the Hangul fillers (U+3164, U+FFA0) that are letters a font draws as nothing.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * A display name as the chat shows and stores it: NFKC-normalised (fullwidth `Ａｄａ` is `Ada`,
 * a no-break space is a space, `ﬁ` is `fi`), or `undefined` if it holds an invisible character.
 *
 * @example
 * ```ts
 * normalizeName("Ａｄａ"); // "Ada"
 * normalizeName("A\u200bda"); // undefined
 * ```
 */
export function normalizeName(name: string): string | undefined {
  const normal = name.normalize("NFKC");
  return INVISIBLE.test(normal) ? undefined : normal;
}

/**
 * Letters that look like others in common fonts, mapped to the one they imitate: Cyrillic and
 * Greek look-alikes of Latin letters, digits that pass for letters, and the pairs `rn` / `m`,
 * `vv` / `w`. A deliberately small excerpt of Unicode's confusables table (UTS #39), enough for
 * the names people type; applied after NFKC and before case folding, so `I` and `l` collide.
 */
export const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: "a",
  А: "a",
  в: "b",
  В: "b",
  с: "c",
  С: "c",
  ԁ: "d",
  е: "e",
  Е: "e",
  һ: "h",
  Н: "h",
  і: "i",
  І: "l",
  ӏ: "l",
  ј: "j",
  Ј: "j",
  К: "k",
  к: "k",
  М: "m",
  м: "m",
  о: "o",
  О: "o",
  р: "p",
  Р: "p",
  ԛ: "q",
  ѕ: "s",
  Ѕ: "s",
  Т: "t",
  т: "t",
  у: "y",
  У: "y",
  х: "x",
  Х: "x",
  ԝ: "w",
  // Greek
  α: "a",
  Α: "a",
  Β: "b",
  ε: "e",
  Ε: "e",
  Η: "h",
  ι: "i",
  Ι: "l",
  κ: "k",
  Κ: "k",
  Μ: "m",
  ν: "v",
  Ν: "n",
  ο: "o",
  Ο: "o",
  ρ: "p",
  Ρ: "p",
  τ: "t",
  Τ: "t",
  υ: "u",
  χ: "x",
  Χ: "x",
  Υ: "y",
  Ζ: "z",
  // Latin and digits
  I: "l",
  "1": "l",
  "|": "l",
  "0": "o",
  ı: "i",
};

const PAIRS: ReadonlyArray<readonly [RegExp, string]> = [
  [/rn/g, "m"],
  [/vv/g, "w"],
];

/**
 * The key two names are compared by: NFKC, confusables mapped ({@link CONFUSABLES}), case
 * folded, separators (`space _ . -`) dropped. Two connected members may not share a skeleton, so
 * `Ada`, `ada`, `Аda` (Cyrillic А), `Ａｄａ` and `A.da` all stand for one person.
 *
 * @example
 * ```ts
 * nameSkeleton("Аda") === nameSkeleton("ada"); // true
 * nameSkeleton("Bill") === nameSkeleton("BiII"); // true
 * ```
 */
export function nameSkeleton(name: string): string {
  let key = "";
  for (const c of name.normalize("NFKC")) key += CONFUSABLES[c] ?? c;
  key = key.toLowerCase().normalize("NFKC");
  // Folding may have made new look-alikes (a capital I is an l by now), so map once more.
  let again = "";
  for (const c of key) again += CONFUSABLES[c] ?? c;
  again = again.replace(/[\s_.-]/g, "");
  for (const [pair, letter] of PAIRS) again = again.replace(pair, letter);
  return again;
}
// #endregion names
