import { describe, expect, it } from 'vitest';
import { newUserFor, userAttributesFor } from '../../../shared/domain/attributes';
import { changedAttributeNames, diffAttributes, diffGroups } from '../../../shared/domain/diff';
import { demoPolicy, directoryUser, G, policyFrom, worker } from './fixtures';

describe('userAttributesFor', () => {
  it('maps every managed field, with dates in UTC from the worker time zone', () => {
    const w = worker({
      legalGivenName: 'José',
      legalFamilyName: 'Núñez',
      company: 'Contoso SAS',
      city: 'Lyon',
      officeLocation: 'LYN-2',
      costCenter: 'CC-42',
      leaveDate: '2027-06-30',
      extensions: { badgeNumber: 'B-7' },
    });
    expect(userAttributesFor(w, demoPolicy)).toEqual({
      displayName: 'José Núñez',
      givenName: 'José',
      surname: 'Núñez',
      employeeId: 'E1001',
      employeeType: 'Employee',
      employeeHireDate: '2026-11-30T23:00:00Z',
      employeeLeaveDateTime: '2027-06-30T22:00:00Z',
      department: 'Engineering',
      jobTitle: 'Software Engineer',
      companyName: 'Contoso SAS',
      officeLocation: 'LYN-2',
      city: 'Lyon',
      country: 'FR',
      usageLocation: 'FR',
      mobilePhone: null,
      businessPhones: [],
      employeeOrgData: { division: null, costCenter: 'CC-42' },
      extensionAttributes: { extensionAttribute1: 'CC-42', extensionAttribute2: 'B-7' },
    });
  });

  it('uses preferred names for display, given name and surname', () => {
    const a = userAttributesFor(
      worker({ legalGivenName: 'Robert', preferredGivenName: 'Bob', preferredFamilyName: 'Smith' }),
      demoPolicy,
    );
    expect([a.displayName, a.givenName, a.surname]).toEqual(['Bob Smith', 'Bob', 'Smith']);
  });

  it('clears fields HR left empty but never clears usageLocation', () => {
    const a = userAttributesFor(worker({ department: undefined, country: undefined, jobTitle: undefined }), demoPolicy);
    expect(a.department).toBeNull();
    expect(a.jobTitle).toBeNull();
    expect(a.country).toBeNull();
    expect('usageLocation' in a).toBe(false);
    expect(a.employeeLeaveDateTime).toBeNull();
    expect(a.extensionAttributes).toEqual({ extensionAttribute1: null, extensionAttribute2: null });
  });

  it('follows the policy display-name pattern and employee-type names', () => {
    const policy = policyFrom(`
version: a
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
attributeMapping:
  displayName: "{family}, {given} ({employeeId})"
  employeeType: { contractor: External }
`);
    const a = userAttributesFor(worker({ employmentType: 'contractor' }), policy);
    expect(a.displayName).toBe('Lovelace, Ada (E1001)');
    expect(a.employeeType).toBe('External');
    expect(a.extensionAttributes).toBeUndefined();
  });

  it('newUserFor: disabled before day 1, UPN from the candidate, password only here', () => {
    const user = newUserFor(
      worker(),
      demoPolicy,
      { userPrincipalName: 'ada.lovelace@contoso.com', mailNickname: 'ada.lovelace' },
      'S3cret!pass',
    );
    expect(user).toMatchObject({
      userPrincipalName: 'ada.lovelace@contoso.com',
      mailNickname: 'ada.lovelace',
      displayName: 'Ada Lovelace',
      accountEnabled: false,
      password: 'S3cret!pass',
      employeeId: 'E1001',
      usageLocation: 'FR',
    });
  });
});

describe('diffAttributes', () => {
  const desired = userAttributesFor(worker(), demoPolicy);

  it('returns nothing when the directory already matches (null, undefined and "" are the same)', () => {
    const current = directoryUser({ companyName: '', officeLocation: null, city: '  ' });
    const changes = diffAttributes(
      { ...current, extensionAttributes: { extensionAttribute1: '', extensionAttribute2: null } },
      desired,
    );
    expect(changes).toEqual({});
  });

  it('compares date-times as instants and country codes without case', () => {
    const current = directoryUser({ employeeHireDate: '2026-11-30T23:00:00.000Z', country: 'fr', usageLocation: 'fr' });
    expect(
      diffAttributes(current, { employeeHireDate: '2026-11-30T23:00:00Z', country: 'FR', usageLocation: 'FR' }),
    ).toEqual({});
    expect(diffAttributes(current, { employeeHireDate: '2026-12-01T00:00:00Z' })).toEqual({
      employeeHireDate: '2026-12-01T00:00:00Z',
    });
  });

  it('returns only the changed keys, with empty values as null', () => {
    const current = directoryUser({ department: 'Engineering', jobTitle: 'Engineer', city: 'Paris' });
    const changes = diffAttributes(current, { department: 'Sales', jobTitle: 'Engineer', city: '' });
    expect(changes).toEqual({ department: 'Sales', city: null });
    expect(changedAttributeNames(changes)).toEqual(['department', 'city']);
  });

  it('compares extension attributes one by one', () => {
    const previous = { extensionAttributes: { extensionAttribute1: 'CC-1', extensionAttribute2: 'B-7' } };
    const changes = diffAttributes(previous, {
      extensionAttributes: { extensionAttribute1: 'CC-2', extensionAttribute2: 'B-7' },
    });
    expect(changes).toEqual({ extensionAttributes: { extensionAttribute1: 'CC-2' } });
    expect(changedAttributeNames(changes)).toEqual(['extensionAttribute1']);
  });

  it('compares otherMails as a set', () => {
    const current = directoryUser({ otherMails: ['A@x.example', 'b@x.example'] });
    expect(diffAttributes(current, { otherMails: ['b@x.example', 'a@x.example'] })).toEqual({});
    expect(diffAttributes(current, { otherMails: ['a@x.example'] })).toEqual({ otherMails: ['a@x.example'] });
  });

  it('ignores keys absent from the desired attributes', () => {
    expect(diffAttributes(directoryUser({ city: 'Paris' }), { department: 'Engineering' })).toEqual({});
  });
});

describe('diffGroups', () => {
  const managed = [G(1), G(3), G(4), G(15)];
  it('adds desired groups and removes only managed ones that are no longer desired', () => {
    const manual = 'ffffffff-1111-4000-8000-000000000000';
    expect(diffGroups([G(1), G(3), manual], [G(1), G(4)], managed)).toEqual({ add: [G(4)], remove: [G(3)] });
  });

  it('never removes a group the policy does not manage', () => {
    expect(diffGroups(['ffffffff-1111-4000-8000-000000000000'], [], managed)).toEqual({ add: [], remove: [] });
  });

  it('compares ids case-insensitively and deduplicates', () => {
    expect(diffGroups([G(1).toUpperCase()], [G(1), G(4), G(4)], managed)).toEqual({ add: [G(4)], remove: [] });
  });

  it('is empty when memberships already match (re-running converges)', () => {
    expect(diffGroups([G(1), G(3)], [G(3), G(1)], managed)).toEqual({ add: [], remove: [] });
  });
});

describe('division and phones, where Entra’s inbound mapping puts them (issue 23 item 2)', () => {
  const w = worker({
    division: 'Cloud',
    costCenter: 'CC-42',
    businessPhone: '+33 1 23 45 67 89',
    mobilePhone: '+33 6 12',
  });

  it('maps division and cost centre to employeeOrgData, the phones to businessPhones and mobilePhone', () => {
    expect(userAttributesFor(w, demoPolicy)).toMatchObject({
      employeeOrgData: { division: 'Cloud', costCenter: 'CC-42' },
      businessPhones: ['+33 1 23 45 67 89'],
      mobilePhone: '+33 6 12',
    });
  });

  it('writes them only when the directory holds something else', () => {
    const desired = userAttributesFor(w, demoPolicy);
    const same = directoryUser({
      employeeOrgData: { division: 'Cloud', costCenter: 'CC-42' },
      businessPhones: ['+33 1 23 45 67 89'],
      mobilePhone: '+33 6 12',
    });
    const changes = diffAttributes(same, desired);
    expect(changes.employeeOrgData).toBeUndefined();
    expect(changes.businessPhones).toBeUndefined();
    expect(changes.mobilePhone).toBeUndefined();
    const moved = diffAttributes(
      same,
      userAttributesFor({ ...w, division: 'Edge', businessPhone: undefined }, demoPolicy),
    );
    expect(moved.employeeOrgData).toEqual({ division: 'Edge', costCenter: 'CC-42' });
    expect(moved.businessPhones).toEqual([]);
  });
});
