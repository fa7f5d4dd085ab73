import { describe, expect, it } from 'vitest';
import { normaliseText, unsafeNameReason, unsafeTextReason } from '../../../shared/domain/names';

/**
 * What directory text and names may hold, and the reason given for each refusal (mutation testing, issue 15;
 * test/intake/event-safety.test.ts checks the same rules through the HR event schema).
 */
describe('unsafeTextReason', () => {
  it('names the character refused, as U+ and at least four upper-case hex digits', () => {
    expect(unsafeTextReason('a\u0007b')).toBe('contains the control character U+0007');
    expect(unsafeTextReason('x\u202Ey')).toBe('contains the bidirectional formatting character U+202E');
    expect(unsafeTextReason('\uD800')).toBe('contains a lone surrogate U+D800 (not valid Unicode text)');
    expect(unsafeTextReason('caf\uFFFD')).toBe('contains U+FFFD, the mark of text that was not valid UTF-8');
    expect(unsafeTextReason('\uFDD0')).toBe('contains U+FDD0, a noncharacter or private-use character');
    expect(unsafeTextReason('\uE000')).toBe('contains U+E000, a noncharacter or private-use character');
    expect(unsafeTextReason('\u{F0000}')).toBe('contains U+F0000, a noncharacter or private-use character');
  });

  it('refuses exactly the documented classes, for every code point (the whole-string pre-check misses none)', () => {
    const refused =
      /^[\p{Cc}\p{Cs}\p{Co}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF\uFFFD]$/u;
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const char = String.fromCodePoint(cp);
      if ((unsafeTextReason(`ok${char}ok`) !== null) !== refused.test(char)) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('lets plain text through, and invisible characters too (only names refuse them)', () => {
    expect(unsafeTextReason('Ada Lovelace, Engineering')).toBeNull();
    expect(unsafeTextReason('A\u200Bda')).toBeNull();
  });
});

describe('unsafeNameReason', () => {
  const invisible = (cp: string) =>
    `contains the invisible character ${cp}, which would make the name look like another`;

  it('refuses unsafe text first, then invisible characters', () => {
    expect(unsafeNameReason('A\u0000da')).toBe('contains the control character U+0000');
    expect(unsafeNameReason('A\u200Bda')).toBe(invisible('U+200B'));
    expect(unsafeNameReason('Ada\u00AD')).toBe(invisible('U+00AD'));
    expect(unsafeNameReason('\u3164')).toBe(invisible('U+3164'));
  });

  it('allows ZWNJ and ZWJ between letters of scripts that need them, never beside Latin or at an edge', () => {
    expect(unsafeNameReason('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645')).toBeNull(); // Persian
    expect(unsafeNameReason('\u0915\u094D\u200D\u0937')).toBeNull(); // Devanagari, ZWJ after a virama (a mark)
    expect(unsafeNameReason('A\u200Cda')).toBe(invisible('U+200C'));
    expect(unsafeNameReason('\u0645\u200Cx')).toBe(invisible('U+200C'));
    expect(unsafeNameReason('\u200D\u0645')).toBe(invisible('U+200D'));
    expect(unsafeNameReason('\u0645\u200D')).toBe(invisible('U+200D'));
    expect(unsafeNameReason('\u0645\u200D ')).toBe(invisible('U+200D'));
  });

  it('lets ordinary names through', () => {
    for (const name of ['Ada', 'José Núñez', "O'Brien", 'Дмитрий', '李小龍', 'Anne-Marie'])
      expect(unsafeNameReason(name)).toBeNull();
  });
});

describe('normaliseText', () => {
  it('is NFC, with Unicode spaces as U+0020, trimmed', () => {
    expect(normaliseText('Jose\u0301')).toBe('José');
    expect(normaliseText('\u00A0Ada\u2003Lovelace\u3000')).toBe('Ada Lovelace');
    expect(normaliseText('  Ada  ')).toBe('Ada');
  });
});
