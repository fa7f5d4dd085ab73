import { describe, expect, it } from 'vitest';
import { toCountryCode } from '../../../shared/domain/country';

/**
 * Country values HR systems send, to the ISO 3166-1 alpha-2 code Entra's usageLocation needs (mutation testing,
 * issue 15): codes in any case, alpha-3 codes, names in the seven languages listed, and the aliases.
 */
describe('toCountryCode', () => {
  it('takes an alpha-2 code in any case, trimmed, and refuses one that is not assigned', () => {
    expect([toCountryCode('FR'), toCountryCode(' fr '), toCountryCode('xk')]).toEqual(['FR', 'FR', 'XK']);
    expect(toCountryCode('ZZ')).toBeNull();
  });

  it('converts an alpha-3 code (Microsoft bulkUpload sends "USA")', () => {
    expect([toCountryCode('USA'), toCountryCode('deu'), toCountryCode('XKX'), toCountryCode('GBR')]).toEqual([
      'US',
      'DE',
      'XK',
      'GB',
    ]);
    expect(toCountryCode('ZZZ')).toBeNull();
  });

  it('knows names in English, French, German, Spanish, Italian, Dutch and Portuguese', () => {
    const names = ['Germany', 'Allemagne', 'Deutschland', 'Alemania', 'Germania', 'Duitsland', 'Alemanha'];
    expect(names.map(toCountryCode)).toEqual(names.map(() => 'DE'));
  });

  it('ignores case, accents, punctuation, "&" for "and", and a leading "the"', () => {
    expect(toCountryCode('Côte d’Ivoire')).toBe('CI');
    expect(toCountryCode('COTE D IVOIRE')).toBe('CI');
    expect(toCountryCode('The Netherlands')).toBe('NL');
    expect(toCountryCode('Bosnia & Herzegovina')).toBe('BA');
    expect(toCountryCode('  united   states ')).toBe('US');
    expect(toCountryCode('Atlantis')).toBeNull();
  });

  it('maps every alias to its country', () => {
    const aliases: Record<string, string> = {
      'United States of America': 'US',
      America: 'US',
      UK: 'GB',
      'Great Britain': 'GB',
      Britain: 'GB',
      England: 'GB',
      Scotland: 'GB',
      Wales: 'GB',
      'Northern Ireland': 'GB',
      'Czech Republic': 'CZ',
      Turkey: 'TR',
      'Russian Federation': 'RU',
      'South Korea': 'KR',
      'Republic of Korea': 'KR',
      'Korea, Republic of': 'KR',
      'North Korea': 'KP',
      'Ivory Coast': 'CI',
      Holland: 'NL',
      'Viet Nam': 'VN',
      'Iran, Islamic Republic of': 'IR',
      Macedonia: 'MK',
      Swaziland: 'SZ',
      Burma: 'MM',
      'Democratic Republic of the Congo': 'CD',
      'Republic of the Congo': 'CG',
      'Cape Verde': 'CV',
      'East Timor': 'TL',
      UAE: 'AE',
      Vatican: 'VA',
      'Vatican City': 'VA',
    };
    for (const [alias, code] of Object.entries(aliases)) expect([alias, toCountryCode(alias)]).toEqual([alias, code]);
  });
});
