import { describe, expect, it } from 'vitest';
import { chunked, scimDisposition, scimGroupMemberships } from '../../../shared/domain/scim-decision';
import { policyFrom, worker } from './fixtures';

/** What one push does to a person in one SCIM target, and which target groups they belong in. */
const policy = policyFrom(
  `version: t\ntenant: {upnDomain: contoso.com}\nupn: {pattern: '{given}.{family}'}\nscimTargets:\n` +
    `  - {id: crm, name: CRM, baseUrl: "https://crm.example/scim", when: {department: [Engineering]}}\n` +
    `  - {id: hr, name: HR, baseUrl: "https://hr.example/scim", provisionDisabled: true}\n`,
);
const [crm, hr] = policy.scimTargets;
const upsert = { action: 'upsert' as const, record: worker() };

describe('scimDisposition', () => {
  it('delete and deactivate need neither a record nor an account', () => {
    expect(scimDisposition({ action: 'deactivate' }, crm!, policy, null)).toEqual({ kind: 'deactivate' });
    expect(scimDisposition({ action: 'delete' }, crm!, policy, { accountEnabled: true })).toEqual({ kind: 'delete' });
  });

  it('says why it withholds or refuses', () => {
    expect(scimDisposition({ action: 'upsert' }, crm!, policy, { accountEnabled: true })).toEqual({
      kind: 'invalid',
      reason: 'an upsert needs the worker record',
    });
    expect(scimDisposition(upsert, crm!, policy, null)).toEqual({
      kind: 'withhold',
      reason: 'the person has no account',
    });
    const sales = { ...upsert, record: worker({ department: 'Sales' }) };
    expect(scimDisposition(sales, crm!, policy, { accountEnabled: true })).toEqual({
      kind: 'withhold',
      reason: 'out of the scope of crm',
    });
    expect(scimDisposition(upsert, crm!, policy, { accountEnabled: false })).toEqual({
      kind: 'withhold',
      reason: 'the account is disabled and crm does not provision disabled accounts',
    });
  });

  it('a target without a scope takes everyone; provisionDisabled takes disabled accounts', () => {
    const sales = { ...upsert, record: worker({ department: 'Sales' }) };
    expect(scimDisposition(sales, hr!, policy, { accountEnabled: true })).toEqual({ kind: 'provision' });
    expect(scimDisposition(sales, hr!, policy, { accountEnabled: false })).toEqual({ kind: 'provision' });
  });
});

describe('scimGroupMemberships', () => {
  const id = 'a0000000-0000-4000-8000-000000000001';

  it('matches ids and names ignoring case; keeps the name of a group found by id', () => {
    const memberships = [
      { id, displayName: 'Engineering' },
      { id: 'b0000000-0000-4000-8000-000000000002', displayName: null },
    ];
    expect(
      scimGroupMemberships([id.toUpperCase(), 'engineering', 'B0000000-0000-4000-8000-000000000002'], memberships),
    ).toEqual({
      member: ['Engineering', 'Engineering', 'B0000000-0000-4000-8000-000000000002'],
      notMember: [],
    });
  });

  it('a pushed group the person is not in: named ones are not-member, ids (any case) are left alone', () => {
    expect(scimGroupMemberships(['Sales', 'C0000000-0000-4000-8000-00000000000A', 'c0000000-x'], [])).toEqual({
      member: [],
      notMember: ['Sales', 'c0000000-x'],
    });
    expect(scimGroupMemberships([`${id}0`, `x${id}`], [])).toEqual({ member: [], notMember: [`${id}0`, `x${id}`] });
  });
});

describe('chunked', () => {
  it('splits into chunks of at most the size, in order', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([1, 2], 2)).toEqual([[1, 2]]);
    expect(chunked([], 3)).toEqual([]);
  });
});
