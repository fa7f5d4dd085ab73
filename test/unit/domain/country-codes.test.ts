import { describe, expect, it } from 'vitest';
import { toCountryCode } from '../../../shared/domain/country';

/**
 * More of toCountryCode (mutation testing, issue 15). The name table is built once, by the first name looked up in
 * a test file, so the first test here looks names up in several languages.
 */
describe('toCountryCode, names', () => {
  it('builds its name table from each language, not only the default one', () => {
    const names = ['Allemagne', 'Duitsland', 'Alemanha', 'Reino Unido', 'Vereinigte Staaten'];
    expect(names.map(toCountryCode)).toEqual(['DE', 'DE', 'DE', 'GB', 'US']);
  });

  it('reads "and" where the CLDR name has "&"', () => {
    expect(toCountryCode('Bosnia and Herzegovina')).toBe('BA');
    expect(toCountryCode('Trinidad and Tobago')).toBe('TT');
  });

  it('drops punctuation at either end of a name', () => {
    expect(toCountryCode('France.')).toBe('FR');
    expect(toCountryCode('(Germany)')).toBe('DE');
  });

  it('drops a leading "the" only, not one inside the name', () => {
    expect(toCountryCode('the Bahamas')).toBe('BS');
    expect(toCountryCode('Isle of the Man')).toBeNull();
  });
});

describe('toCountryCode, codes', () => {
  // The first pair of each line of the ISO 3166-1 table: a line lost from the table loses its countries.
  const pairs = [
    ['AF', 'AFG'],
    ['BS', 'BHS'],
    ['IO', 'IOT'],
    ['CO', 'COL'],
    ['EC', 'ECU'],
    ['GA', 'GAB'],
    ['HT', 'HTI'],
    ['JP', 'JPN'],
    ['LI', 'LIE'],
    ['FM', 'FSM'],
    ['NE', 'NER'],
    ['PN', 'PCN'],
    ['WS', 'WSM'],
    ['SS', 'SSD'],
    ['TO', 'TON'],
    ['VE', 'VEN'],
  ] as const;

  it('knows every line of the ISO 3166-1 table, as alpha-2 and as alpha-3', () => {
    for (const [alpha2, alpha3] of pairs) {
      expect([alpha2, toCountryCode(alpha2.toLowerCase())]).toEqual([alpha2, alpha2]);
      expect([alpha3, toCountryCode(alpha3)]).toEqual([alpha3, alpha2]);
    }
  });

  it('refuses codes of other lengths that hold a known code', () => {
    expect([toCountryCode('FRX'), toCountryCode('XFR'), toCountryCode('USAX')]).toEqual([null, null, null]);
  });
});
