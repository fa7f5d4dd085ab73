import { describe, expect, it } from 'vitest';
import {
  BulkRequest,
  carriesAttributes,
  completeFromDirectory,
  managerReference,
  ScimUser,
  toHrEvent,
} from '../../shared/intake/bulk-upload';

/**
 * Entra bulkUpload (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload)
 * mapped to the canonical HR event: the envelope's refusals, the manager reference, the default attribute mapping
 * and its warnings, and what a partial operation takes from the matched directory user.
 */
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const receivedAt = new Date('2026-11-25T08:00:00Z');
const GUID = '6f1b1a5e-2c1d-4a5e-9b8f-0d3c2b1a0f9e';

const user = (data: Record<string, unknown> = {}) => ScimUser.parse({ schemas: [CORE], externalId: 'E1', ...data });
const mapped = (data: Record<string, unknown> = {}) => toHrEvent(user(data), 'e1', receivedAt);

describe('BulkRequest envelope', () => {
  const op = (extra: Record<string, unknown> = {}) => ({
    method: 'POST',
    bulkId: 'b1',
    path: '/Users',
    data: { schemas: [CORE], externalId: 'E1' },
    ...extra,
  });
  const problems = (body: unknown) => {
    const parsed = BulkRequest.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('names the schema it is missing, for the request and for an operation', () => {
    expect(problems({ schemas: ['urn:other'], Operations: [op()] })).toEqual([`schemas: must include ${BULK}`]);
    expect(problems({ schemas: [BULK], Operations: [op({ data: { schemas: [ENTERPRISE] } })] })).toEqual([
      `Operations.0.data.schemas: must include ${CORE}`,
    ]);
  });

  it('refuses no operation at all, an empty bulkId or one over 256 characters', () => {
    expect(problems({ schemas: [BULK], Operations: [] })).toHaveLength(1);
    expect(problems({ schemas: [BULK], Operations: [op({ bulkId: '' })] })).toHaveLength(1);
    expect(problems({ schemas: [BULK], Operations: [op({ bulkId: 'b'.repeat(257) })] })).toHaveLength(1);
    expect(problems({ schemas: [BULK], Operations: [op({ bulkId: 'b'.repeat(256) })] })).toEqual([]);
  });

  it('takes 50 operations, failOnErrors as an integer or null, and keeps fields it does not know', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => op({ bulkId: `b${i}` }));
    expect(problems({ schemas: [BULK], Operations: fifty })).toEqual([]);
    expect(problems({ schemas: [BULK], Operations: [op()], failOnErrors: null })).toEqual([]);
    expect(problems({ schemas: [BULK], Operations: [op()], failOnErrors: 1.5 })).toHaveLength(1);
    const parsed = BulkRequest.parse({ schemas: [BULK], Operations: [op()], extra: 1 });
    expect(parsed).toMatchObject({ extra: 1, Operations: [{ data: { externalId: 'E1' } }] });
  });
});

describe("ScimUser: an operation's user", () => {
  const problems = (data: Record<string, unknown>) => {
    const parsed = ScimUser.safeParse({ schemas: [CORE], externalId: 'E1', ...data });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('says the matching attribute is required when externalId is empty', () => {
    expect(problems({ externalId: '' })).toEqual([
      'externalId: the matching attribute externalId (employee id) is required',
    ]);
  });

  it('refuses a value of the wrong type inside each structured attribute', () => {
    expect(problems({ name: { givenName: 3 } }).map((p) => p.split(':')[0])).toEqual(['name.givenName']);
    expect(problems({ emails: [{ value: 3 }] }).map((p) => p.split(':')[0])).toEqual(['emails.0.value']);
    expect(problems({ addresses: [{ country: 3 }] }).map((p) => p.split(':')[0])).toEqual(['addresses.0.country']);
    expect(problems({ phoneNumbers: [{ value: 3 }] }).map((p) => p.split(':')[0])).toEqual(['phoneNumbers.0.value']);
    expect(problems({ [ENTERPRISE]: { department: 3 } })).toHaveLength(1);
    expect(problems({ [ENTERPRISE]: { manager: { value: 3 } } })).toHaveLength(1);
    expect(
      problems({ name: { givenName: 'Ada', middleName: 'B' }, emails: [{ value: 'a@b.c', display: 'x' }] }),
    ).toEqual([]);
  });
});

describe('managerReference', () => {
  const managedBy = (value: unknown) => user({ [ENTERPRISE]: { manager: { value } } });

  it('reads an employee id (trimmed), a directory object id (lower-cased), or neither', () => {
    expect(managerReference(user())).toEqual({ kind: 'none' });
    expect(managerReference(managedBy('   '))).toEqual({ kind: 'none' });
    expect(managerReference(user({ [ENTERPRISE]: { manager: {} } }))).toEqual({ kind: 'none' });
    expect(managerReference(managedBy(' BOSS1 '))).toEqual({ kind: 'employeeId', value: 'BOSS1' });
    expect(managerReference(managedBy(GUID.toUpperCase()))).toEqual({ kind: 'objectId', value: GUID });
    expect(managerReference(managedBy('boss@contoso.com'))).toEqual({ kind: 'unusable', value: 'boss@contoso.com' });
  });

  it('takes only a whole GUID as an object id', () => {
    expect(managerReference(managedBy(`x${GUID}`))).toMatchObject({ kind: 'unusable' });
    expect(managerReference(managedBy(`${GUID}x`))).toMatchObject({ kind: 'unusable' });
    expect(managerReference(managedBy(GUID.replace(/-/g, '_')))).toMatchObject({ kind: 'unusable' });
  });
});

describe('toHrEvent: the default mapping', () => {
  it('maps the core and enterprise attributes, and leaves out what was not sent', () => {
    const { event, warnings } = mapped({
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      nickName: 'Addie',
      displayName: 'Ada Lovelace',
      title: 'Engineer',
      preferredLanguage: 'en-GB',
      emails: [
        { type: 'work', value: 'ada@contoso.com' },
        { type: 'personal', value: 'ada@home.example' },
      ],
      phoneNumbers: [
        { type: 'mobile', value: '+33 6 00 00 00 00' },
        { type: 'work', value: '+33 1 00 00 00 00' },
      ],
      [ENTERPRISE]: { department: 'R&D', costCenter: 'C1', organization: 'Contoso', division: 'Labs' },
    });
    expect(warnings).toEqual([]);
    expect(event).toMatchObject({
      eventId: 'e1',
      type: 'hire',
      immediate: false,
      occurredAt: '2026-11-25T08:00:00.000Z',
      source: 'bulkUpload',
    });
    expect(event.worker).toMatchObject({
      employeeId: 'E1',
      legalGivenName: 'Ada',
      legalFamilyName: 'Lovelace',
      preferredGivenName: 'Addie',
      displayName: 'Ada Lovelace',
      jobTitle: 'Engineer',
      preferredLanguage: 'en-GB',
      personalEmail: 'ada@home.example',
      businessPhone: '+33 1 00 00 00 00',
      mobilePhone: '+33 6 00 00 00 00',
      department: 'R&D',
      costCenter: 'C1',
      company: 'Contoso',
      division: 'Labs',
    });
    expect(Object.keys(event.worker)).not.toContain('timeZone');
    expect(Object.keys(event.worker)).not.toContain('hireDate');
    expect(Object.keys(event.worker)).not.toContain('leaveDate');
  });

  it('takes each phone by its type, whatever the order, and none of a type not sent', () => {
    const both = mapped({
      phoneNumbers: [
        { type: 'work', value: '+1 1' },
        { type: 'mobile', value: '+1 2' },
      ],
    }).event.worker;
    expect(both).toMatchObject({ businessPhone: '+1 1', mobilePhone: '+1 2' });
    const mobileOnly = mapped({ phoneNumbers: [{ type: 'mobile', value: '+1 2' }] }).event.worker;
    expect(mobileOnly.businessPhone).toBeUndefined();
    expect(mobileOnly.mobilePhone).toBe('+1 2');
    expect(mapped({ phoneNumbers: [{ type: 'fax', value: '+1 3' }] }).event.worker.mobilePhone).toBeUndefined();
  });

  it('takes a home e-mail as the personal one, never a work one, and the given name from nickName when alone', () => {
    const home = mapped({ nickName: 'Addie', emails: [{ type: 'home', value: 'a@home.example' }] }).event.worker;
    expect(home).toMatchObject({ personalEmail: 'a@home.example', legalGivenName: 'Addie', legalFamilyName: '' });
    const work = mapped({ emails: [{ type: 'work', value: 'a@contoso.com' }], nickName: '' }).event.worker;
    expect(work.personalEmail).toBeUndefined();
    expect(work.legalGivenName).toBe('');
    expect(work.preferredGivenName).toBeUndefined();
  });

  it('active false is an immediate terminate; active true or absent a hire', () => {
    expect(mapped({ active: false }).event).toMatchObject({ type: 'terminate', immediate: true });
    expect(mapped({ active: true }).event).toMatchObject({ type: 'hire', immediate: false });
  });

  it('takes the country and city of the primary address, else of the first, as alpha-2', () => {
    const primary = mapped({
      addresses: [
        { country: 'FR', locality: 'Paris' },
        { country: 'DEU', locality: 'Berlin', primary: true },
      ],
    });
    expect(primary.event.worker).toMatchObject({ country: 'DE', city: 'Berlin' });
    const first = mapped({ addresses: [{ country: 'France', locality: 'Paris' }, { country: 'DE' }] });
    expect(first.event.worker).toMatchObject({ country: 'FR', city: 'Paris' });
  });

  it('warns about a country or time zone it cannot carry over, and sets neither', () => {
    const { event, warnings } = mapped({ addresses: [{ country: ' Atlantis ' }], timezone: 'Mars/Olympus' });
    expect(warnings).toEqual([
      'addresses.country "Atlantis" is not a known country: country and usage location not set',
      'timezone "Mars/Olympus" is not an IANA time zone: UTC used',
    ]);
    expect(event.worker.country).toBeUndefined();
    expect(Object.keys(event.worker)).not.toContain('timeZone');
    const blank = mapped({ addresses: [{ country: '  ' }], timezone: 'Europe/Paris' });
    expect(blank.warnings).toEqual([]);
    expect(blank.event.worker).toMatchObject({ timeZone: 'Europe/Paris' });
  });

  it('reads the hire and leave dates from a custom namespace, case-insensitively, strings only', () => {
    const dates = mapped({
      'urn:contoso:employee': { hire_date: '2026-01-05', TerminationDate: '2026-12-31' },
    }).event.worker;
    expect(dates).toMatchObject({ hireDate: '2026-01-05', leaveDate: '2026-12-31' });
    const leave = mapped({ 'urn:contoso:hr': { leaveDate: '2026-06-30', HireDate: 20260101 } }).event.worker;
    expect(leave.leaveDate).toBe('2026-06-30');
    expect(Object.keys(leave)).not.toContain('hireDate');
  });

  it('ignores dates outside a custom namespace: the enterprise extension, a non-urn key, a value not an object', () => {
    const worker = mapped({
      [ENTERPRISE]: { HireDate: '2026-01-05' },
      custom: { HireDate: '2026-01-06' },
      'urn:contoso:flat': '2026-01-07',
      'urn:contoso:none': null,
    }).event.worker;
    expect(Object.keys(worker)).not.toContain('hireDate');
  });

  it('lets a configured mapping override a default field by field', () => {
    const { event } = toHrEvent(user({ title: 'Engineer', nickName: 'Addie' }), 'e1', receivedAt, {
      jobTitle: () => 'Principal',
      department: () => undefined,
    });
    expect(event.worker).toMatchObject({ jobTitle: 'Principal', preferredGivenName: 'Addie' });
  });
});

describe('completeFromDirectory: a partial operation keeps the matched user', () => {
  const matched = {
    givenName: 'Tomas',
    surname: 'Ortega',
    department: 'Tours',
    jobTitle: 'Guide',
    companyName: 'Universal',
    usageLocation: 'US',
    city: 'Hollywood',
    employeeHireDate: '2025-01-01T00:00:00Z',
  };
  const empty = {
    givenName: null,
    surname: null,
    department: null,
    jobTitle: null,
    companyName: null,
    usageLocation: null,
    city: null,
    employeeHireDate: null,
  };

  it('takes every attribute the operation left out from the directory', () => {
    const done = completeFromDirectory(mapped({ active: false }).event, matched, receivedAt);
    expect(done.worker).toMatchObject({
      legalGivenName: 'Tomas',
      legalFamilyName: 'Ortega',
      department: 'Tours',
      jobTitle: 'Guide',
      company: 'Universal',
      country: 'US',
      city: 'Hollywood',
      hireDate: '2025-01-01T00:00:00Z',
    });
  });

  it('keeps what the operation sent over the directory', () => {
    const sent = mapped({
      name: { givenName: 'Tom', familyName: 'Ortiz' },
      title: 'Lead',
      addresses: [{ country: 'FR', locality: 'Paris' }],
      [ENTERPRISE]: { department: 'Ops', organization: 'Contoso' },
      'urn:contoso:employee': { HireDate: '2024-02-01' },
    }).event;
    expect(completeFromDirectory(sent, matched, receivedAt).worker).toMatchObject({
      legalGivenName: 'Tom',
      legalFamilyName: 'Ortiz',
      department: 'Ops',
      jobTitle: 'Lead',
      company: 'Contoso',
      country: 'FR',
      city: 'Paris',
      hireDate: '2024-02-01',
    });
  });

  it('leaves out what neither says, with names empty and the hire date today at UTC-12', () => {
    const done = completeFromDirectory(mapped().event, empty, receivedAt);
    expect(done.worker).toMatchObject({ legalGivenName: '', legalFamilyName: '', hireDate: '2026-11-24' });
    for (const field of ['department', 'jobTitle', 'company', 'country', 'city'] as const)
      expect(done.worker[field], field).toBeUndefined();
  });
});

describe('carriesAttributes', () => {
  it('is false for the match key, active, id and meta alone; true with any other attribute', () => {
    expect(carriesAttributes(user({ active: false, id: 'x', meta: { resourceType: 'User' } }))).toBe(false);
    expect(carriesAttributes(user({ active: false, title: 'Guide' }))).toBe(true);
  });
});
