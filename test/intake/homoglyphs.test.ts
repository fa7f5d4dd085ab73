import { describe, expect, it } from 'vitest';
import { mixedScriptWord } from '../../shared/intake/homoglyphs';

/** The homoglyph check of names (Unicode TR39 mixed-script words): mutation testing, issue 15. */
describe('mixedScriptWord', () => {
  it('finds a word mixing Latin with Cyrillic or Greek letters', () => {
    expect(mixedScriptWord('\u0410dmin')).toBe('\u0410dmin'); // Cyrillic А then Latin
    expect(mixedScriptWord('Ada Lovel\u03b1ce')).toBe('Lovel\u03b1ce'); // Greek alpha inside
  });

  it('accepts whole words in one script, side by side', () => {
    expect(mixedScriptWord('Дмитрий Ivanov')).toBeNull();
    expect(mixedScriptWord('Αλέξανδρος Smith')).toBeNull();
    expect(mixedScriptWord('Ada Lovelace')).toBeNull();
  });

  it('splits words at spaces, hyphens, apostrophes and dots', () => {
    for (const joiner of [' ', '-', "'", '\u2019', '.']) expect(mixedScriptWord(`Дмитрий${joiner}Ivanov`)).toBeNull();
    expect(mixedScriptWord('Jean-\u0410dmin')).toBe('\u0410dmin');
  });
});
