import { describe, expect, it } from 'vitest';
import { chooseUpn, isValidUpnLocalPart, transliterate, upnCandidates } from '../../../shared/domain/upn';
import { demoPolicy, policyFrom, worker } from './fixtures';

const basic = policyFrom(`
version: t1
tenant: { upnDomain: Contoso.COM }
upn: { pattern: "{given}.{family}" }
`);

const first = (given: string, family: string, policy = basic, extra = {}): string =>
  upnCandidates(worker({ legalGivenName: given, legalFamilyName: family, ...extra }), policy, 1)[0]!.userPrincipalName;

describe('transliterate', () => {
  it.each([
    ['José Núñez', 'Jose Nunez'],
    ['Zoë Ødegård', 'Zoe Odegard'],
    ['Łukasz Żółć', 'Lukasz Zolc'],
    ['Straße', 'Strasse'],
    ['Æsa Ærø', 'Aesa Aero'],
    ['Дмитрий Иванов', 'Dmitriy Ivanov'],
    ['王小明', 'WangXiaoMing'],
    ['Αλέξανδρος Παπαδόπουλος', 'Alexandros Papadopoulos'],
    ['İlker Ağaoğlu', 'Ilker Agaoglu'],
    ['Nguyễn Văn', 'Nguyen Van'],
  ])('%s → %s', (input, expected) => {
    expect(transliterate(input)).toBe(expected);
  });

  it('drops emoji instead of spelling them out', () => {
    expect(transliterate('Ana 😀👩‍💻')).toBe('Ana ');
  });

  it('gives the same result for composed and decomposed accents', () => {
    expect(transliterate('Jose\u0301')).toBe(transliterate('José'));
  });
});

describe('upnCandidates', () => {
  it.each([
    ['José', 'Núñez', 'jose.nunez@contoso.com'],
    ['Zoë', 'Ødegård', 'zoe.odegard@contoso.com'],
    ['Łukasz', 'Żółć', 'lukasz.zolc@contoso.com'],
    ['Mário', 'da Silva', 'mario.dasilva@contoso.com'],
    ['Дмитрий', 'Иванов', 'dmitriy.ivanov@contoso.com'],
    ['小明', '王', 'xiaoming.wang@contoso.com'],
    ['Αλέξανδρος', 'Παπαδόπουλος', 'alexandros.papadopoulos@contoso.com'],
    ['Seán', "O'Brien", 'sean.obrien@contoso.com'],
    ['Seán', 'O’Brien', 'sean.obrien@contoso.com'],
    ['Anne-Marie', 'Smith-Jones', 'anne-marie.smith-jones@contoso.com'],
    ['Björn', 'Groß', 'bjorn.gross@contoso.com'],
    ['Jean -', '- Dupont', 'jean.dupont@contoso.com'],
    ['J.R.', 'Tolkien (Sr)', 'j.r.tolkiensr@contoso.com'],
  ])('%s %s → %s', (given, family, expected) => {
    expect(first(given, family)).toBe(expected);
  });

  it('lower-cases the domain and uses the local part as mailNickname', () => {
    const [candidate] = upnCandidates(worker({ legalGivenName: 'ADA', legalFamilyName: 'LOVELACE' }), basic, 1);
    expect(candidate).toEqual({ userPrincipalName: 'ada.lovelace@contoso.com', mailNickname: 'ada.lovelace' });
  });

  it('orders pattern, fallbacks, then numbered suffixes from the first usable base', () => {
    const policy = policyFrom(`
version: t
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}", fallbackPatterns: ["{givenInitial}{family}", "{given}.{family}"] }
`);
    const names = upnCandidates(worker({ legalGivenName: 'José', legalFamilyName: 'Núñez' }), policy, 5).map(
      (c) => c.mailNickname,
    );
    expect(names).toEqual(['jose.nunez', 'jnunez', 'jose.nunez2', 'jose.nunez3', 'jose.nunez4']);
  });

  it('honours suffixSeparator and firstSuffix', () => {
    const policy = policyFrom(`
version: t
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}", suffixSeparator: ".", firstSuffix: 1 }
`);
    expect(upnCandidates(worker(), policy, 3).map((c) => c.mailNickname)).toEqual([
      'ada.lovelace',
      'ada.lovelace.1',
      'ada.lovelace.2',
    ]);
  });

  it('uses preferred names when the pattern asks for them', () => {
    expect(
      upnCandidates(worker({ legalGivenName: 'Robert', preferredGivenName: 'Bob' }), demoPolicy, 2).map(
        (c) => c.mailNickname,
      ),
    ).toEqual(['bob.lovelace', 'robert.lovelace']);
  });

  it('applies whitespace, hyphen and apostrophe options', () => {
    const policy = policyFrom(`
version: t
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}", whitespace: hyphen, hyphens: remove, apostrophes: keep }
`);
    expect(first('Anne-Marie', "D'Arcy de la Tour", policy)).toBe("annemarie.d'arcy-de-la-tour@contoso.com");
  });

  it('never yields a reserved word, comparing case-insensitively', () => {
    const policy = policyFrom(`
version: t
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}", fallbackPatterns: ["{given}.{family}"], reservedWords: [Admin, root] }
`);
    const names = upnCandidates(worker({ legalGivenName: 'Admin', legalFamilyName: 'Istrator' }), policy, 3).map(
      (c) => c.mailNickname,
    );
    expect(names).toEqual(['admin.istrator', 'admin.istrator2', 'admin.istrator3']);
    expect(
      upnCandidates(worker({ legalGivenName: 'Root', legalFamilyName: 'X' }), policy, 5).map((c) => c.mailNickname),
    ).not.toContain('root');
  });

  it('numbers a reserved base when it is the only one', () => {
    const policy = policyFrom(`
version: t
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
`);
    expect(upnCandidates(worker({ legalGivenName: 'Postmaster' }), policy, 2).map((c) => c.mailNickname)).toEqual([
      'postmaster2',
      'postmaster3',
    ]);
  });

  it('cuts very long names to maxLocalPartLength, suffix included, without a trailing separator', () => {
    const given = 'Maximiliano-Alejandro';
    const family =
      'Wolfeschlegelsteinhausenbergerdorff' +
      'voralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzen';
    const candidates = upnCandidates(
      worker({ legalGivenName: given, legalFamilyName: family.slice(0, 64) }),
      basic,
      12,
    );
    for (const c of candidates) {
      expect(c.mailNickname.length).toBeLessThanOrEqual(64);
      expect(isValidUpnLocalPart(c.mailNickname)).toBe(true);
    }
    expect(candidates[0]!.mailNickname).toHaveLength(64);
    expect(candidates[1]!.mailNickname.endsWith('2')).toBe(true);
    expect(candidates[1]!.mailNickname).toHaveLength(64);
    expect(candidates[11]!.mailNickname.endsWith('12')).toBe(true);

    const short = policyFrom(`
version: t
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}", maxLocalPartLength: 10 }
`);
    // "abcdefghi." would end with the separator: it is trimmed.
    expect(first('Abcdefghi', 'Jklmn', short)).toBe('abcdefghi@contoso.com');
  });

  it('only produces characters valid in a UPN and a mailNickname', () => {
    const latinNasty = ['Ana María', 'Jo@n', 'Li (Lee)', 'A;B:C', 'X<Y>Z', 'Q"R', 'M,N', 'Ö\\Ä', 'Ẓ[ẓ]'];
    const nasty = [...latinNasty, 'أحمد', '𝔘𝔫𝔦'];
    for (const given of nasty) {
      for (const c of upnCandidates(worker({ legalGivenName: given, legalFamilyName: 'Ünal' }), basic, 3)) {
        expect(c.mailNickname).toMatch(/^[a-z0-9'.\-_!#^~]+$/);
        expect(c.mailNickname).not.toMatch(/[@()\\[\]";:<>, ]/);
        expect(isValidUpnLocalPart(c.mailNickname)).toBe(true);
      }
    }
  });

  it('falls back to the employee id when the name has no Latin rendering', () => {
    expect(first('😀', '🎉')).toBe('user.e1001@contoso.com');
  });

  it('returns distinct candidates, as many as asked', () => {
    const list = upnCandidates(worker(), demoPolicy, 25);
    expect(list).toHaveLength(25);
    expect(new Set(list.map((c) => c.userPrincipalName)).size).toBe(25);
  });
});

describe('chooseUpn', () => {
  const candidates = upnCandidates(worker({ legalGivenName: 'José', legalFamilyName: 'Núñez' }), basic, 4);

  it('takes the first candidate when nothing is taken', () => {
    expect(chooseUpn(candidates, new Set())?.userPrincipalName).toBe('jose.nunez@contoso.com');
  });

  it('skips a candidate whose UPN is taken', () => {
    expect(chooseUpn(candidates, new Set(['jose.nunez@contoso.com']))?.userPrincipalName).toBe(
      'jose.nunez2@contoso.com',
    );
  });

  it('skips a candidate whose mailNickname alone is taken (another domain)', () => {
    expect(chooseUpn(candidates, new Set(['jose.nunez', 'jose.nunez2@contoso.com']))?.mailNickname).toBe('jose.nunez3');
  });

  it('compares case-insensitively and returns null when everything is taken', () => {
    const taken = new Set(candidates.map((c) => c.userPrincipalName.toLowerCase()));
    expect(chooseUpn(candidates, taken)).toBeNull();
  });
});
