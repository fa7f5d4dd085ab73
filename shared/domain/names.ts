/**
 * What may be stored in a directory text attribute, and what may be stored in a person's name.
 *
 * Every text that reaches the directory is NFC-normalised (so "é" typed as e + U+0301 and as U+00E9 is one
 * value) and refused when it holds characters that change how other text displays or that no HR system
 * means to send: control characters (NUL, BEL, ESC of ANSI sequences, line breaks), bidirectional
 * overrides and isolates (the "Trojan Source" trick, CVE-2021-42574), lone surrogates, noncharacters,
 * private-use characters and U+FFFD (what a decoder leaves of invalid UTF-8).
 * Names are stricter: invisible characters (zero-width space, word joiner, soft hyphen, Hangul fillers…)
 * would let "A\u200bda Lovelace" display exactly like "Ada Lovelace", so they are refused too. ZWJ/ZWNJ
 * stay allowed between letters of scripts that need them (Persian, Indic), as Unicode TR31/RFC 5892
 * CONTEXTJ allows, never next to a Latin, Greek or Cyrillic letter.
 * https://www.unicode.org/reports/tr36/ (Unicode security considerations), https://www.unicode.org/reports/tr39/
 */

/** Unicode spaces other than U+0020 (no-break space from spreadsheets, en/em spaces…) become a plain space. */
const OTHER_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

const CONTROL = /\p{Cc}/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const SURROGATE = /\p{Cs}/u;
const PRIVATE_USE = /\p{Co}/u;
const NONCHARACTER = /[\uFDD0-\uFDEF\uFFFE\uFFFF]/u;
const REPLACEMENT = /\uFFFD/u;

/** Format characters (Cf: ZWSP, ZWJ, ZWNJ, word joiner, BOM, soft hyphen…) and blank-looking letters. */
// Combining grapheme joiner and variation selectors are listed alone on purpose: each is refused by itself.
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0]/u;
const JOINERS = new Set(['\u200C', '\u200D']);
const CONFUSABLE_SCRIPT_LETTER = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Any character unsafeTextReason refuses, in one pattern: most text holds none, and one test of the whole string
 * costs less than six per character (intake validates several names per HR event). The loop below still names the
 * first offending character and why.
 */
const ANY_UNSAFE = new RegExp(
  [CONTROL, BIDI, SURROGATE, REPLACEMENT, NONCHARACTER, PRIVATE_USE].map((pattern) => pattern.source).join('|'),
  'u',
);

/** Why a directory text value is refused, or null when it may be stored. */
export function unsafeTextReason(text: string): string | null {
  if (!ANY_UNSAFE.test(text)) return null;
  for (const char of text) {
    if (CONTROL.test(char)) return `contains the control character ${codePoint(char)}`;
    if (BIDI.test(char)) return `contains the bidirectional formatting character ${codePoint(char)}`;
    if (SURROGATE.test(char)) return `contains a lone surrogate ${codePoint(char)} (not valid Unicode text)`;
    if (REPLACEMENT.test(char)) return 'contains U+FFFD, the mark of text that was not valid UTF-8';
    if (NONCHARACTER.test(char) || PRIVATE_USE.test(char))
      return `contains ${codePoint(char)}, a noncharacter or private-use character`;
  }
  return null;
}

/** Why a person's name is refused (unsafe text or an invisible character), or null when it may be stored. */
export function unsafeNameReason(text: string): string | null {
  const unsafe = unsafeTextReason(text);
  if (unsafe) return unsafe;
  if (!INVISIBLE.test(text)) return null;
  const chars = [...text];
  // Stryker disable next-line EqualityOperator: one turn past the end tests undefined, which INVISIBLE never matches
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (!INVISIBLE.test(char)) continue;
    if (JOINERS.has(char)) {
      // Stryker disable next-line StringLiteral: at an edge, '' (no letter) and Latin text are refused alike
      const before = chars[i - 1] ?? '';
      // Stryker disable next-line StringLiteral: at an edge, '' (no letter) and Latin text are refused alike
      const after = chars[i + 1] ?? '';
      const betweenLetters = LETTER_OR_MARK.test(before) && LETTER_OR_MARK.test(after);
      if (betweenLetters && !CONFUSABLE_SCRIPT_LETTER.test(before) && !CONFUSABLE_SCRIPT_LETTER.test(after)) continue;
    }
    return `contains the invisible character ${codePoint(char)}, which would make the name look like another`;
  }
  return null;
}

/** NFC, Unicode spaces as U+0020, trimmed. Applied after the checks above (they see the text as sent). */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(OTHER_SPACES, ' ').trim();
}
