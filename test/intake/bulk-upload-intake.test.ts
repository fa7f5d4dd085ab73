import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../shared/ports/directory';
import { planOperations, type IntakeDirectory } from '../../shared/intake/bulk-intake';
import { BulkRequest } from '../../shared/intake/bulk-upload';

const fixtures = path.resolve(__dirname, '../fixtures/bulkupload');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));

function user(partial: Partial<DirectoryUser> & { id: string }): DirectoryUser {
  return {
    userPrincipalName: `${partial.id}@contoso.com`,
    mailNickname: partial.id,
    displayName: partial.id,
    givenName: null,
    surname: null,
    mail: null,
    otherMails: [],
    employeeId: null,
    employeeType: null,
    employeeHireDate: null,
    employeeLeaveDateTime: null,
    department: null,
    jobTitle: null,
    companyName: null,
    officeLocation: null,
    city: null,
    country: null,
    usageLocation: null,
    accountEnabled: true,
    deletedDateTime: null,
    ...partial,
  };
}

function directory(users: DirectoryUser[]): IntakeDirectory {
  return {
    findUsersByEmployeeIds: async (ids) =>
      new Map(users.filter((u) => u.employeeId && ids.includes(u.employeeId)).map((u) => [u.employeeId!, u])),
    getUser: async (id) => users.find((u) => u.id === id) ?? null,
  };
}

const receivedAt = new Date('2026-11-25T08:00:00Z');
const plan = (body: unknown, users: DirectoryUser[] = []) =>
  planOperations(BulkRequest.parse(body), { requestId: 'r1', receivedAt, directory: directory(users) });

describe('bulkUpload envelope (400 for the whole request)', () => {
  const op = (bulkId: string, extra: Record<string, unknown> = {}) => ({
    method: 'POST',
    bulkId,
    path: '/Users',
    data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], externalId: bulkId },
    ...extra,
  });
  const envelope = (operations: unknown[]) => ({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: operations,
  });
  const problems = (body: unknown) => {
    const parsed = BulkRequest.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it("accepts Microsoft's three examples", () => {
    for (const name of [
      'example-1-core-and-enterprise-user.json',
      'example-2-custom-schema-namespace.json',
      'example-3-update-existing-user.json',
    ])
      expect(problems(fixture(name)), name).toEqual([]);
  });

  it('refuses duplicate bulkIds, more than 50 operations, other methods or paths, and missing schemas', () => {
    expect(problems(envelope([op('a'), op('a')]))).toEqual(['Operations.1.bulkId: bulkId a is not unique']);
    expect(problems(envelope(Array.from({ length: 51 }, (_, i) => op(`b${i}`))))).toEqual([
      'Operations: at most 50 operations per request',
    ]);
    expect(problems(envelope([op('a', { method: 'PATCH' })]))[0]).toMatch(/^Operations\.0\.method/);
    expect(problems(envelope([op('a', { path: '/Groups' })]))[0]).toMatch(/^Operations\.0\.path/);
    expect(problems({ Operations: [op('a')] })[0]).toMatch(/^schemas/);
    expect(problems(envelope([op('a', { data: { externalId: 'a' } })]))[0]).toMatch(/^Operations\.0\.data\.schemas/);
  });

  it('leaves attribute-level problems to the operation (a missing externalId is not an envelope problem)', () => {
    expect(
      problems(envelope([op('a', { data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] } })])),
    ).toEqual([]);
  });
});

describe('bulkUpload operations (one result each)', () => {
  it("queues Microsoft's Example 1: Kathy's manager is in the request, Barbara's is unknown (warned)", async () => {
    const [barbara, kathy] = await plan(fixture('example-1-core-and-enterprise-user.json'));
    expect(barbara).toMatchObject({ bulkId: '701984', employeeId: '701984', intake: 'queued', matched: false });
    expect(barbara!.warnings).toEqual([
      'manager 89607 has no account yet: provisioned without a manager; ' +
        'the manager is assigned once an account with that employee id exists',
    ]);
    expect(barbara!.events[0]!.worker).toMatchObject({
      employeeId: '701984',
      legalGivenName: 'Barbara',
      legalFamilyName: 'Jensen',
      department: 'Tour Operations',
      jobTitle: 'Tour Guide',
      company: 'Universal Studios',
      costCenter: '4130',
      managerEmployeeId: '89607',
      timeZone: 'America/Los_Angeles',
    });
    expect(kathy).toMatchObject({ intake: 'queued', managerEmployeeId: '701984' });
    expect(kathy!.warnings.filter((w) => w.startsWith('manager'))).toEqual([]);
    expect(kathy!.events[0]!.worker.managerEmployeeId).toBe('701984');
  });

  it("maps Example 2's custom namespace HireDate", async () => {
    const [barbara, kathy] = await plan(fixture('example-2-custom-schema-namespace.json'));
    expect(barbara!.events[0]!.worker.hireDate).toBe('2021-05-01T00:00:00-05:00');
    expect(kathy!.events[0]!.worker.hireDate).toBe('2022-07-15T00:00:00-05:00');
  });

  it('names a manager by directory object id (a 36-character manager.value)', async () => {
    const body = JSON.parse(
      JSON.stringify(fixture('mixed-operations.json')).replace(
        '{{MANAGER_OBJECT_ID}}',
        '6f1b1a5e-2c1d-4a5e-9b8f-0d3c2b1a0f9e',
      ),
    ) as unknown;
    const boss = user({ id: '6f1b1a5e-2c1d-4a5e-9b8f-0d3c2b1a0f9e', employeeId: 'BOSS1' });
    const [good1, bad2, good3] = await plan(body, [boss]);
    expect(good1).toMatchObject({ intake: 'queued', managerEmployeeId: 'BOSS1', warnings: [] });
    expect(good1!.events[0]!.worker.managerEmployeeId).toBe('BOSS1');
    expect(bad2).toMatchObject({ intake: 'failed', employeeId: null, events: [] });
    expect(bad2!.reason).toMatch(/^data\.externalId: /);
    expect(good3).toMatchObject({ intake: 'queued', managerEmployeeId: null });
    expect(good3!.warnings).toEqual([
      'manager 00000000-0000-4000-8000-000000000000: no such directory object, no manager set',
    ]);
    expect(good3!.events[0]!.worker.managerEmployeeId).toBeUndefined();
  });

  it('warns about a manager object without an employee id or a value that is neither kind of id', async () => {
    const op = (bulkId: string, manager: string) => ({
      method: 'POST',
      bulkId,
      path: '/Users',
      data: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        externalId: bulkId,
        name: { givenName: 'A', familyName: 'B' },
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: manager } },
      },
    });
    const noEmployeeId = user({ id: '11111111-2222-4333-8444-555555555555', userPrincipalName: 'ceo@contoso.com' });
    const [a, b] = await plan(
      {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [op('A1', noEmployeeId.id), op('A2', 'boss@contoso.com')],
      },
      [noEmployeeId],
    );
    expect(a!.warnings).toEqual([
      'manager 11111111-2222-4333-8444-555555555555 (ceo@contoso.com) has no employeeId: no manager set',
    ]);
    expect(b!.warnings).toEqual([
      'manager.value "boss@contoso.com" is neither an employee id nor a directory object id: no manager set',
    ]);
    expect([a!.intake, b!.intake]).toEqual(['queued', 'queued']);
  });

  it('fails only the operation whose mapped event is invalid, naming the SCIM attribute', async () => {
    const [created] = await plan({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        {
          method: 'POST',
          bulkId: 'x',
          path: '/Users',
          data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], externalId: 'NEW1', active: true },
        },
      ],
    });
    expect(created).toMatchObject({ intake: 'failed', employeeId: 'NEW1' });
    expect(created!.reason).toContain('name.givenName (worker.legalGivenName)');
  });

  it('skips Example 3 for a user nobody knows, and applies it as update then deactivation when matched', async () => {
    const [unknown] = await plan(fixture('example-3-update-existing-user.json'));
    expect(unknown).toMatchObject({
      intake: 'skipped',
      reason: 'no user has employeeId 7172023: nothing to deactivate',
      events: [],
    });
    const existing = user({
      id: 'u-7172023',
      employeeId: '7172023',
      givenName: 'Tomas',
      surname: 'Ortega',
      department: 'Tour Operations',
      jobTitle: 'Tour Guide',
      employeeHireDate: '2025-01-01T00:00:00Z',
    });
    const [matched] = await plan(fixture('example-3-update-existing-user.json'), [existing]);
    expect(matched).toMatchObject({ intake: 'queued', matched: true });
    expect(matched!.events.map((e) => [e.type, e.immediate, e.worker.department])).toEqual([
      ['update', false, 'Tour Ops'],
      ['terminate', true, 'Tour Ops'],
    ]);
    expect(matched!.events[0]!.worker).toMatchObject({ legalGivenName: 'Tomas', jobTitle: 'Tour Guide' });
    expect(new Set(matched!.eventIds).size).toBe(2);
  });
});
