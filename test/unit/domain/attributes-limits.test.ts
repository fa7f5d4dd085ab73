import { describe, expect, it } from 'vitest';
import { newUserFor, userAttributesFor } from '../../../shared/domain/attributes';
import type { Policy } from '../../../shared/domain/policy';
import type { WorkerRecord } from '../../../shared/domain/hr-event';
import { demoPolicy, policyFrom, worker } from './fixtures';

/**
 * userAttributesFor on its own (mutation testing, issue 15): it trims and caps each value at the Graph user
 * resource's limits (learn.microsoft.com/graph/api/resources/user) even for a record the HR event schema did not
 * parse, renders the display-name pattern, and reads extension-attribute sources.
 */
const raw = (overrides: Partial<WorkerRecord>): WorkerRecord => ({ ...worker(), ...overrides });
const withDisplayName = (displayName: string): Policy => ({
  ...demoPolicy,
  attributeMapping: { ...demoPolicy.attributeMapping, displayName },
});
const withExtensions = (extensionAttributes: Record<string, string>): Policy => ({
  ...demoPolicy,
  attributeMapping: { ...demoPolicy.attributeMapping, extensionAttributes },
});

describe('userAttributesFor, limits', () => {
  it('trims text and caps it at the Graph limit of each attribute', () => {
    const a = userAttributesFor(
      raw({
        department: '  Sales  ',
        jobTitle: 'j'.repeat(130),
        company: 'c'.repeat(70),
        city: '   ',
        legalGivenName: 'g'.repeat(70),
        mobilePhone: ` ${'5'.repeat(70)} `,
      }),
      demoPolicy,
    );
    expect(a.department).toBe('Sales');
    expect(a.jobTitle).toBe('j'.repeat(128));
    expect(a.companyName).toBe('c'.repeat(64));
    expect(a.city).toBeNull();
    expect(a.givenName).toBe('g'.repeat(64));
    expect(a.mobilePhone).toBe('5'.repeat(64));
  });

  it('takes the display name HR sends, capped at 256 characters, over the pattern', () => {
    expect(userAttributesFor(raw({ displayName: 'Dr Ada L.' }), demoPolicy).displayName).toBe('Dr Ada L.');
    expect(userAttributesFor(raw({ displayName: 'd'.repeat(300) }), demoPolicy).displayName).toBe('d'.repeat(256));
  });

  it('caps a rendered display name at 256 characters', () => {
    const a = userAttributesFor(raw({ legalGivenName: 'g'.repeat(200), legalFamilyName: 'f'.repeat(200) }), demoPolicy);
    expect(a.displayName).toBe(`${'g'.repeat(200)} ${'f'.repeat(55)}`);
  });

  it('caps an extension attribute at 1024 characters', () => {
    const a = userAttributesFor(
      raw({ extensions: { badge: 'b'.repeat(1100) } }),
      withExtensions({ extensionAttribute3: 'extensions.badge' }),
    );
    expect(a.extensionAttributes).toEqual({ extensionAttribute3: 'b'.repeat(1024) });
  });
});

describe('userAttributesFor, display-name pattern', () => {
  it('collapses runs of spaces and trims the rendered name', () => {
    expect(userAttributesFor(worker(), withDisplayName('  {given}   {family}  ')).displayName).toBe('Ada Lovelace');
  });

  it('renders an unknown token as nothing', () => {
    expect(userAttributesFor(worker(), withDisplayName('{given}{nickname} {family}')).displayName).toBe('Ada Lovelace');
  });

  it('falls back to the employee id when the pattern renders nothing', () => {
    const policy = policyFrom(`
version: a
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
attributeMapping:
  displayName: "  "
`);
    expect(userAttributesFor(worker(), policy).displayName).toBe('E1001');
    expect(userAttributesFor(worker(), withDisplayName('{nickname}')).displayName).toBe('E1001');
  });
});

describe('userAttributesFor, extension-attribute sources', () => {
  it('maps a worker field, an empty field as null, and a source that is no worker field as null', () => {
    const a = userAttributesFor(
      raw({ costCenter: '', department: 'Engineering' }),
      withExtensions({
        extensionAttribute1: 'costCenter',
        extensionAttribute2: 'department',
        extensionAttribute4: 'x',
      }),
    );
    expect(a.extensionAttributes).toEqual({
      extensionAttribute1: null,
      extensionAttribute2: 'Engineering',
      extensionAttribute4: null,
    });
  });

  it('reads a field that is no worker field as null even when the record holds it', () => {
    const record = { ...worker(), legalGivenName: 'Ada' } as WorkerRecord;
    const a = userAttributesFor(record, withExtensions({ extensionAttribute5: 'legalGivenName' }));
    expect(a.extensionAttributes).toEqual({ extensionAttribute5: null });
  });
});

describe('userAttributesFor, preferred language', () => {
  it('leaves preferredLanguage out when HR sends none, so a language the person chose stays', () => {
    expect('preferredLanguage' in userAttributesFor(worker(), demoPolicy)).toBe(false);
    expect(userAttributesFor(worker({ preferredLanguage: 'fr-FR' }), demoPolicy).preferredLanguage).toBe('fr-FR');
  });
});

describe('newUserFor', () => {
  it('keeps the display name userAttributesFor rendered', () => {
    const user = newUserFor(
      worker({ displayName: 'Countess Lovelace' }),
      demoPolicy,
      { userPrincipalName: 'ada@contoso.com', mailNickname: 'ada' },
      'pw',
    );
    expect(user.displayName).toBe('Countess Lovelace');
  });
});
