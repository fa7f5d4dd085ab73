import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../shared/domain/policy';
import { isValidUpnLocalPart, transliterate, upnCandidates } from '../../../shared/domain/upn';
import { policyFrom, worker } from './fixtures';

/** More of upn.ts (mutation testing, issue 15): letter overrides, Greek ου, name options, tidying, limits. */
const policy = (upn: string): Policy =>
  policyFrom(`
version: t1
tenant: { upnDomain: contoso.com }
upn: ${upn}
`);
const locals = (p: Policy, given: string, family = 'Lovelace', count = 1): string[] =>
  upnCandidates(worker({ legalGivenName: given, legalFamilyName: family }), p, count).map((c) => c.mailNickname);

describe('transliterate, letters written as people write them', () => {
  it('uses the overrides for ẞ æ Œ œ Þ þ Đ đ', () => {
    expect(transliterate('ẞ æ Œ œ Þ þ Đ đ')).toBe('SS ae Oe oe Th th D d');
  });

  it('reads Greek ου as "ou" in every case', () => {
    expect(transliterate('Ουρανία')).toBe('Ourania');
    expect(transliterate('ΟΥΡΑΝΙΑ')).toBe('OURANIA');
    expect(transliterate('Σπύρου')).toBe('Spyrou');
    expect(transliterate('Λούκας')).toBe('Loukas');
  });
});

describe('upnCandidates, name options', () => {
  it('turns a backtick or an acute accent used as an apostrophe into one, kept when the policy keeps them', () => {
    const keep = policy('{ pattern: "{family}", apostrophes: keep }');
    expect(locals(keep, 'Sean', 'O`Brien')).toEqual(["o'brien"]);
    expect(locals(keep, 'Sean', 'O´Brien')).toEqual(["o'brien"]);
  });

  it('turns spaces inside a name into a dot when asked', () => {
    expect(locals(policy('{ pattern: "{given}", whitespace: dot }'), 'Anne Marie')).toEqual(['anne.marie']);
    expect(locals(policy('{ pattern: "{given}", whitespace: hyphen }'), 'Anne Marie')).toEqual(['anne-marie']);
    expect(locals(policy('{ pattern: "{given}", whitespace: remove }'), 'Anne Marie')).toEqual(['annemarie']);
  });

  it('gives an empty initial for a name with no letter or digit', () => {
    expect(locals(policy('{ pattern: "{givenInitial}.{family}" }'), '!!!')).toEqual(['lovelace']);
  });

  it('renders a token the policy schema would refuse as nothing', () => {
    const base = policy('{ pattern: "{given}" }');
    const p: Policy = { ...base, upn: { ...base.upn, pattern: '{given}{nickname}.{family}' } };
    expect(locals(p, 'Ada')).toEqual(['ada.lovelace']);
  });
});

describe('upnCandidates, tidying', () => {
  it('keeps the first of a run of separators', () => {
    expect(locals(policy('{ pattern: "{given}.-_{family}" }'), 'Ada')).toEqual(['ada.lovelace']);
    expect(locals(policy('{ pattern: "{given}-._{family}" }'), 'Ada')).toEqual(['ada-lovelace']);
  });

  it('trims a mix of separators and apostrophes at both ends of a name', () => {
    const keep = policy('{ pattern: "{given}", apostrophes: keep }');
    expect(locals(keep, "'-Ada-'")).toEqual(['ada']);
    expect(locals(keep, "'.'Ada'.'")).toEqual(['ada']);
  });
});

describe('upnCandidates, limits', () => {
  it('returns no more candidates than asked, even when the pattern and fallbacks give more', () => {
    const p = policy('{ pattern: "{given}.{family}", fallbackPatterns: ["{family}.{given}", "{given}{family}"] }');
    expect(locals(p, 'Ada', 'Lovelace', 1)).toEqual(['ada.lovelace']);
    expect(locals(p, 'Ada', 'Lovelace', 2)).toEqual(['ada.lovelace', 'lovelace.ada']);
  });

  it('tries numbered suffixes up to firstSuffix + 2 × count + 9, no further', () => {
    // count 2, firstSuffix 2: numbers 2 to 15 are tried; all reserved leaves the base alone.
    const reserved = Array.from({ length: 14 }, (_, i) => `"ada.lovelace${i + 2}"`).join(', ');
    const p = policy(`{ pattern: "{given}.{family}", reservedWords: [${reserved}] }`);
    expect(locals(p, 'Ada', 'Lovelace', 2)).toEqual(['ada.lovelace']);
  });
});

describe('isValidUpnLocalPart', () => {
  it('accepts what upnCandidates produces', () => {
    expect(isValidUpnLocalPart("o'brien.j-r_2!#^~")).toBe(true);
    expect(isValidUpnLocalPart('a'.repeat(64))).toBe(true);
    expect(isValidUpnLocalPart('abc', 3)).toBe(true);
  });

  it('refuses empty, too long, upper-case, foreign characters, edge and doubled separators', () => {
    const refused = ['', 'a'.repeat(65), 'Ada', 'adA', 'Ada.lovelace', 'ada lovelace', 'ada@x', '.ada', 'ada.', 'a..b'];
    for (const local of refused) expect([local, isValidUpnLocalPart(local)]).toEqual([local, false]);
    expect(isValidUpnLocalPart('abcd', 3)).toBe(false);
    expect(isValidUpnLocalPart('-ada')).toBe(false);
    expect(isValidUpnLocalPart('ada_')).toBe(false);
  });
});
