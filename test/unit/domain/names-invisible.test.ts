import { describe, expect, it } from 'vitest';
import { unsafeNameReason } from '../../../shared/domain/names';

/**
 * Only ZWNJ and ZWJ get the between-letters exception (mutation testing, issue 15): any other invisible character
 * is refused even between two letters of a script that needs joiners.
 */
describe('unsafeNameReason, invisible characters between letters', () => {
  it('refuses a zero-width space or a word joiner between two Arabic letters', () => {
    expect(unsafeNameReason('\u0645\u200B\u0645')).toBe(
      'contains the invisible character U+200B, which would make the name look like another',
    );
    expect(unsafeNameReason('\u0645\u2060\u0645')).toBe(
      'contains the invisible character U+2060, which would make the name look like another',
    );
  });

  it('still lets ZWNJ through between the same two letters', () => {
    expect(unsafeNameReason('\u0645\u200C\u0645')).toBeNull();
  });
});
