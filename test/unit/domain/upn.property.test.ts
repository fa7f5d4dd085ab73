import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { upnCandidates } from '../../../shared/domain/upn';
import { demoPolicy, worker } from './fixtures';

/**
 * Graph's rules for the two names every account gets, checked independently of the generator
 * (https://learn.microsoft.com/graph/api/resources/user, userPrincipalName and mailNickname):
 * - userPrincipalName: alias@domain; the alias at most 64 characters of A-Z a-z 0-9 ' . - _ ! # ^ ~, and a period
 *   neither first, last nor doubled
 *   (https://learn.microsoft.com/entra/identity/authentication/howto-authentication-use-email-signin);
 * - mailNickname: at most 64 ASCII characters, none of @ ( ) \ [ ] " ; : < > , or space.
 */
const UPN_ALIAS = /^[A-Za-z0-9'.\-_!#^~]{1,64}$/;
const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,\s]/;

const HEBREW = 'אבגדהוזחטיכלמנסעפצקרשת';
const ARABIC = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';
const EMOJI_AND_CJK = ['😀', '👩‍💻', '🇫🇷', '王', '小', '明', '山', '田', 'ㅎ', 'ー'];
const scripts = [
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...(HEBREW + ARABIC).split('')), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('e', 'a', '\u0301', '\u0308', '\u0327', '\u200d', '\u202e'), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...EMOJI_AND_CJK), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'.-_\'@()[]\\";:<>, ~!#^'.split('')), maxLength: 20 }),
];
const name = fc.oneof(...scripts, fc.string({ unit: 'binary', maxLength: 300 }));

describe('UPN and mailNickname for any Unicode name', () => {
  it('satisfy Graph rules, are unique, and come in the number asked for', () => {
    fc.assert(
      fc.property(name, name, fc.option(name, { nil: undefined }), (given, family, preferred) => {
        const record = { ...worker(), legalGivenName: given, legalFamilyName: family, preferredGivenName: preferred };
        const candidates = upnCandidates(record, demoPolicy, 20);
        expect(candidates).toHaveLength(20);
        expect(new Set(candidates.map((c) => c.userPrincipalName)).size).toBe(20);
        for (const { userPrincipalName, mailNickname } of candidates) {
          const [alias, domain, ...rest] = userPrincipalName.split('@');
          expect(rest).toEqual([]);
          expect(domain).toBe(demoPolicy.tenant.upnDomain.toLowerCase());
          expect(alias).toMatch(UPN_ALIAS);
          expect(alias!.startsWith('.') || alias!.endsWith('.') || alias!.includes('..')).toBe(false);
          expect(mailNickname.length).toBeGreaterThan(0);
          expect(mailNickname.length).toBeLessThanOrEqual(64);
          expect(/^[\x21-\x7e]+$/.test(mailNickname)).toBe(true);
          expect(MAIL_NICKNAME_FORBIDDEN.test(mailNickname)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
