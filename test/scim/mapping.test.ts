import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../shared/domain/policy';
import { scimDisposition, scimGroupMemberships } from '../../shared/domain/scim-decision';
import {
  compileScimMapping,
  desiredAttributes,
  scimPersonData,
  scimUserResource,
  type DesiredAttribute,
} from '../../shared/domain/scim-mapping';
import { applyScimPatch, diffScimUser } from '../../shared/domain/scim-patch';
import { ENTERPRISE_USER_SCHEMA, parseAttributePath, readAttribute } from '../../shared/domain/scim-path';
import { directoryUser, worker } from '../unit/domain/fixtures';

const ENTERPRISE = ENTERPRISE_USER_SCHEMA;

function desiredFor(overrides: Record<string, string | null> = {}, record = worker(), account = directoryUser()) {
  return desiredAttributes(compileScimMapping(overrides), scimPersonData(record, account));
}

describe('person → SCIM user (default mapping)', () => {
  it('maps UPN, employee id, names, work email, active, title and the enterprise attributes', () => {
    const record = worker({ preferredGivenName: 'Augusta', managerEmployeeId: 'E0001' });
    const account = directoryUser({ mail: 'ada@contoso.com' });
    expect(scimUserResource(desiredFor({}, record, account))).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'ada.lovelace@contoso.com',
      externalId: 'E1001',
      name: { givenName: 'Augusta', familyName: 'Lovelace' },
      displayName: 'Ada Lovelace',
      emails: [{ type: 'work', value: 'ada@contoso.com' }],
      active: true,
      title: 'Software Engineer',
      [ENTERPRISE]: { employeeNumber: 'E1001', department: 'Engineering', manager: { value: 'E0001' } },
    });
  });

  it('merges the target mapping over the default; null drops a default attribute', () => {
    const resource = scimUserResource(
      desiredFor({ title: null, nickName: 'Coalesce(preferredGivenName, legalGivenName)', displayName: '"fixed"' }),
    );
    expect(resource.title).toBeUndefined();
    expect(resource.nickName).toBe('Ada');
    expect(resource.displayName).toBe('fixed');
  });

  it('sends active of a disabled account as the boolean false', () => {
    const resource = scimUserResource(desiredFor({}, worker(), directoryUser({ accountEnabled: false })));
    expect(resource.active).toBe(false);
  });

  it('refuses an unknown function or an unsupported path when the policy loads', () => {
    const policy = (mapping: string) => () =>
      parsePolicy(
        `version: t\ntenant: {upnDomain: contoso.com}\nupn: {pattern: '{given}.{family}'}\n` +
          `scimTargets: [{id: crm, name: CRM, baseUrl: "https://crm.example/scim", mapping: ${mapping}}]\n`,
      );
    expect(policy('{title: "Upper(jobTitle)"}')).toThrow(/unsupported mapping function Upper/);
    expect(policy('{"emails[type eq \\"work\\"]": mail}')).toThrow(/needs a sub-attribute/);
    expect(policy('{"name..x": mail}')).toThrow(/not a SCIM attribute path/);
  });
});

describe('diff → minimal PATCH (RFC 7644 §3.5.2)', () => {
  const existing = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    id: '42',
    UserName: 'ada.lovelace@contoso.com',
    externalId: 'E1001',
    Name: { GivenName: 'Ada', familyName: 'Lovelace' },
    displayName: 'Ada Lovelace',
    emails: [{ Type: 'Work', value: 'old@contoso.com', primary: true }],
    active: 'True',
    title: 'Software Engineer',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user': { employeeNumber: 'E1001', department: 'Sales' },
  };

  it('reads names case-insensitively, takes "True" for true, and patches only what differs', () => {
    const account = directoryUser({ mail: 'ada@contoso.com' });
    const operations = diffScimUser(existing, desiredFor({}, worker(), account));
    expect(operations).toEqual([
      { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Engineering' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@contoso.com' },
    ]);
  });

  it('removes an attribute the person no longer has, and the work email element without mail', () => {
    const operations = diffScimUser(existing, desiredFor({}, worker({ jobTitle: undefined, department: 'Sales' })));
    expect(operations).toEqual([
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'emails[type eq "work"]' },
    ]);
  });

  it('adds the whole element when no element matches the value filter (a replace would be a 400 noTarget)', () => {
    const operations = diffScimUser(
      { ...existing, emails: [{ type: 'home', value: 'me@home.example' }] },
      desiredFor({}, worker({ department: 'Sales' }), directoryUser({ mail: 'ada@contoso.com' })),
    );
    expect(operations).toEqual([{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'ada@contoso.com' }] }]);
  });

  it('a resource without meta or schemas is fine', () => {
    const desired = desiredFor();
    const { schemas: _schemas, ...bare } = scimUserResource(desired);
    expect(diffScimUser(bare, desired)).toEqual([]);
  });

  it('takes "false" (any case) for false and a boolean false for "False" sent by Entra-style servers', () => {
    const desired = desiredFor({}, worker(), directoryUser({ accountEnabled: false }));
    expect(diffScimUser({ ...scimUserResource(desired), active: 'FALSE' }, desired)).toEqual([]);
    expect(diffScimUser({ ...scimUserResource(desired), active: 'true' }, desired)).toEqual([
      { op: 'replace', path: 'active', value: false },
    ]);
  });
});

const PATHS = [
  'userName',
  'externalId',
  'name.givenName',
  'name.familyName',
  'displayName',
  'emails[type eq "work"].value',
  'emails[type eq "work"].display',
  'active',
  'title',
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager.value`,
].map(parseAttributePath);

const valueFor = (isBoolean: boolean) =>
  isBoolean ? fc.option(fc.boolean(), { nil: undefined }) : fc.option(fc.string({ minLength: 1 }), { nil: undefined });

const desiredArbitrary: fc.Arbitrary<DesiredAttribute[]> = fc.tuple(
  ...PATHS.map((path) => valueFor(path.attribute === 'active').map((value) => ({ path, value }))),
);

/** An existing resource: some desired values, some other values, random key case, booleans as text. */
const existingArbitrary = fc
  .tuple(desiredArbitrary, fc.boolean(), fc.boolean(), fc.boolean())
  .map(([values, upperKeys, textBooleans, extraEmail]) => {
    const resource = scimUserResource(values);
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value === 'boolean') return textBooleans ? (value ? 'True' : 'False') : value;
      if (!value || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [upperKeys && k !== 'schemas' ? k.toUpperCase() : k, rewrite(v)]),
      );
    };
    const rewritten = rewrite(resource) as Record<string, unknown>;
    if (extraEmail) rewritten.emails = [...((rewritten.emails as unknown[]) ?? []), { type: 'home', value: 'h@x' }];
    return rewritten;
  });

describe('diff properties (fast-check)', () => {
  it('the diff of a resource with its own values is empty', () => {
    fc.assert(
      fc.property(desiredArbitrary, (desired) => {
        expect(diffScimUser(scimUserResource(desired), desired)).toEqual([]);
      }),
    );
  });

  it('applying the diff to any existing resource yields the desired value on every mapped attribute', () => {
    fc.assert(
      fc.property(existingArbitrary, desiredArbitrary, (existing, desired) => {
        const patched = applyScimPatch(existing, diffScimUser(existing, desired));
        for (const { path, value } of desired) {
          const held = readAttribute(patched, path);
          if (value === undefined) expect([undefined, null, '']).toContain(held);
          else if (typeof value === 'boolean') expect(String(held).toLowerCase()).toBe(String(value));
          else expect(held).toBe(value);
        }
        expect(diffScimUser(patched, desired)).toEqual([]);
      }),
    );
  });
});

describe('what a push does', () => {
  const policy = parsePolicy(
    `version: t\ntenant: {upnDomain: contoso.com}\nupn: {pattern: '{given}.{family}'}\nscimTargets:\n` +
      `  - {id: crm, name: CRM, baseUrl: "https://crm.example/scim", when: {department: [Engineering]}}\n` +
      `  - {id: hr, name: HR, baseUrl: "https://hr.example/scim", provisionDisabled: true}\n`,
  );
  const [crm, hr] = policy.scimTargets;

  it('provisions in scope, withholds out of scope, disabled (unless provisionDisabled) or without account', () => {
    const upsert = { action: 'upsert' as const, record: worker() };
    expect(scimDisposition(upsert, crm!, policy, { accountEnabled: true })).toEqual({ kind: 'provision' });
    expect(
      scimDisposition({ ...upsert, record: worker({ department: 'Sales' }) }, crm!, policy, { accountEnabled: true }),
    ).toMatchObject({ kind: 'withhold' });
    expect(scimDisposition(upsert, crm!, policy, { accountEnabled: false })).toMatchObject({ kind: 'withhold' });
    expect(scimDisposition(upsert, hr!, policy, { accountEnabled: false })).toEqual({ kind: 'provision' });
    expect(scimDisposition(upsert, crm!, policy, null)).toMatchObject({ kind: 'withhold' });
    expect(scimDisposition({ action: 'upsert' }, crm!, policy, null)).toMatchObject({ kind: 'invalid' });
    expect(scimDisposition({ action: 'delete' }, crm!, policy, null)).toEqual({ kind: 'delete' });
  });

  it('pushes groups by name or id; a named group the person is not in is left', () => {
    const memberships = [{ id: 'a0000000-0000-4000-8000-000000000001', displayName: 'Engineering' }];
    expect(scimGroupMemberships(['a0000000-0000-4000-8000-000000000001', 'Sales'], memberships)).toEqual({
      member: ['Engineering'],
      notMember: ['Sales'],
    });
    expect(scimGroupMemberships('none', memberships)).toEqual({ member: [], notMember: [] });
  });
});
