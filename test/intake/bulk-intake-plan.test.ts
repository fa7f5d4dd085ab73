import { describe, expect, it } from 'vitest';
import { planOperations, type IntakeDirectory } from '../../shared/intake/bulk-intake';
import { BulkRequest } from '../../shared/intake/bulk-upload';
import type { DirectoryUser } from '../../shared/ports/directory';
import { directoryUser } from '../unit/domain/fixtures';

/**
 * planOperations, one operation at a time: what it asks the directory, the event ids it makes, the manager it sets,
 * and the reason it gives for each result (the caller's only view of why an operation failed, was skipped or queued).
 */
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const receivedAt = new Date('2026-11-25T08:00:00Z');

/** A directory that records what it is asked. */
function recordingDirectory(users: DirectoryUser[]) {
  const employeeIdLookups: string[][] = [];
  const objectIdLookups: string[] = [];
  const directory: IntakeDirectory = {
    findUsersByEmployeeIds: async (ids) => {
      employeeIdLookups.push(ids);
      return new Map(users.filter((u) => u.employeeId && ids.includes(u.employeeId)).map((u) => [u.employeeId!, u]));
    },
    getUser: async (id) => {
      objectIdLookups.push(id);
      return users.find((u) => u.id === id) ?? null;
    },
  };
  return { directory, employeeIdLookups, objectIdLookups };
}

const person = (externalId: string, extra: Record<string, unknown> = {}) => ({
  schemas: [CORE],
  externalId,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  ...extra,
});
const managedBy = (value: string) => ({ [ENTERPRISE]: { manager: { value } } });
const op = (bulkId: string, data: unknown) => ({ method: 'POST', bulkId, path: '/Users', data });
const envelope = (...operations: unknown[]) =>
  BulkRequest.parse({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: operations });

async function plan(operations: unknown[], users: DirectoryUser[] = [], requestId = 'r1') {
  const recorded = recordingDirectory(users);
  const results = await planOperations(envelope(...operations), {
    requestId,
    receivedAt,
    directory: recorded.directory,
  });
  return { results, ...recorded };
}

describe('what planOperations asks the directory', () => {
  it("asks for the operations' employee ids and the managers named by employee id outside the request", async () => {
    const boss = directoryUser({ id: 'u-boss', employeeId: 'BOSS1' });
    const { employeeIdLookups, objectIdLookups } = await plan(
      [
        op('1', person('E1', managedBy('BOSS1'))),
        op('2', person('E2', managedBy('E1'))),
        op('3', person('E3', managedBy('6f1b1a5e-2c1d-4a5e-9b8f-0d3c2b1a0f9e'))),
        op('4', person('E4')),
        op('5', { schemas: [CORE], externalId: '' }),
      ],
      [boss],
    );
    expect(employeeIdLookups).toHaveLength(1);
    expect([...new Set(employeeIdLookups[0])].sort()).toEqual(['BOSS1', 'E1', 'E2', 'E3', 'E4']);
    expect(employeeIdLookups[0]!.every((id) => typeof id === 'string')).toBe(true);
    expect(objectIdLookups).toEqual(['6f1b1a5e-2c1d-4a5e-9b8f-0d3c2b1a0f9e']);
  });

  it('asks nothing by object id when no manager is named by one', async () => {
    const { objectIdLookups } = await plan([op('1', person('E1', managedBy('BOSS1'))), op('2', person('E2'))]);
    expect(objectIdLookups).toEqual([]);
  });
});

describe('managers', () => {
  it('sets a manager the directory knows by employee id, without a warning', async () => {
    const boss = directoryUser({ id: 'u-boss', employeeId: 'BOSS1' });
    const { results } = await plan([op('1', person('E1', managedBy('BOSS1')))], [boss]);
    expect(results[0]).toMatchObject({ intake: 'queued', managerEmployeeId: 'BOSS1', warnings: [] });
    expect(results[0]!.events[0]!.worker.managerEmployeeId).toBe('BOSS1');
  });

  it('ignores a manager that names the person themself, by employee id or by object id', async () => {
    const self = directoryUser({ id: '6f1b1a5e-2c1d-4a5e-9b8f-0d3c2b1a0f9e', employeeId: 'E2' });
    const { results } = await plan(
      [op('1', person('E1', managedBy('E1'))), op('2', person('E2', managedBy(self.id)))],
      [self],
    );
    for (const result of results) {
      expect(result).toMatchObject({ intake: 'queued', managerEmployeeId: null });
      expect(result.warnings).toEqual(['manager.value names the person themself: ignored']);
      expect(Object.keys(result.events[0]!.worker)).not.toContain('managerEmployeeId');
    }
  });

  it('sets no manager and says nothing when the operation names none', async () => {
    const { results } = await plan([op('1', person('E1'))]);
    expect(results[0]).toMatchObject({ intake: 'queued', managerEmployeeId: null, warnings: [] });
    expect(Object.keys(results[0]!.events[0]!.worker)).not.toContain('managerEmployeeId');
  });
});

describe('event ids', () => {
  it('carry the request id, the index and the bulkId, with characters outside the alphabet made hyphens', async () => {
    const { results } = await plan([op('a', person('E1')), op('b c/d', person('E2'))]);
    expect(results.map((r) => r.eventIds)).toEqual([['bulk-r1-0-a'], ['bulk-r1-1-b-c-d']]);
  });

  it('keep 40 characters of the bulkId and 128 in all', async () => {
    const bulkId = 'x'.repeat(60);
    const short = await plan([op(bulkId, person('E1'))]);
    expect(short.results[0]!.eventIds).toEqual([`bulk-r1-0-${'x'.repeat(40)}`]);
    const long = await plan([op(bulkId, person('E1'))], [], 'r'.repeat(120));
    expect(long.results[0]).toMatchObject({ intake: 'queued' });
    expect(long.results[0]!.eventIds[0]).toBe(`bulk-${'r'.repeat(120)}-0-`.slice(0, 128));
  });
});

describe('reasons', () => {
  it('a user that is not one fails alone, with every schema problem named and nothing else set', async () => {
    const { results } = await plan([
      op('bad', { schemas: [CORE], externalId: '', name: 'Ada' }),
      op('ok', person('E1')),
    ]);
    expect(results[0]).toEqual({
      bulkId: 'bad',
      employeeId: null,
      eventIds: [],
      matched: false,
      managerEmployeeId: null,
      intake: 'failed',
      reason: expect.stringMatching(/^data\.externalId: .+; data\.name: .+$/) as unknown,
      warnings: [],
      events: [],
    });
    expect(results[1]).toMatchObject({ intake: 'queued' });
  });

  it('names the SCIM attribute of each refused worker field, or the worker field alone without one', async () => {
    const long = (n: number) => 'x'.repeat(n);
    const { results } = await plan([
      op(
        'all-wrong',
        person('bad id!', {
          name: { givenName: 'Ada', familyName: '' },
          nickName: 'A\u200bda',
          displayName: 'Ada\u0007',
          title: long(129),
          emails: [{ type: 'home', value: 'not-an-email' }],
          addresses: [{ locality: long(129) }],
          [ENTERPRISE]: { department: long(65), costCenter: long(65), organization: long(65) },
          'urn:contoso:employee': { HireDate: 'not-a-date', LeaveDate: 'not-a-date-either' },
        }),
      ),
    ]);
    expect(results[0]).toMatchObject({ intake: 'failed', employeeId: 'bad id!' });
    const named = (results[0]!.reason ?? '').split('; ').map((problem) => problem.split(': ')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'externalId (worker.employeeId)',
        'name.familyName (worker.legalFamilyName)',
        'nickName (worker.preferredGivenName)',
        'emails[type eq "home"].value (worker.personalEmail)',
        `${ENTERPRISE}:department (worker.department)`,
        `${ENTERPRISE}:costCenter (worker.costCenter)`,
        `${ENTERPRISE}:organization (worker.company)`,
        'title (worker.jobTitle)',
        'addresses.locality (worker.city)',
        'HireDate (custom schema) (worker.hireDate)',
        'LeaveDate (custom schema) (worker.leaveDate)',
        'worker.displayName',
      ]),
    );
  });

  it('says what a queued operation became and whether it matched a user', async () => {
    const known = directoryUser({ id: 'u-e2', employeeId: 'E2', employeeHireDate: '2025-01-01T00:00:00Z' });
    const { results } = await plan(
      [
        op('new', person('E1', { title: 'Engineer' })),
        op('leaves', person('E2', { active: false, title: 'Engineer' })),
        op('leaves-bare', { schemas: [CORE], externalId: 'E2', active: false }),
      ],
      [known],
    );
    expect(results.map((r) => [r.intake, r.reason])).toEqual([
      ['queued', 'queued as hire (new user)'],
      ['queued', 'queued as update then terminate (matched an existing user)'],
      ['queued', 'queued as terminate (matched an existing user)'],
    ]);
    expect(results[0]!.events.map((e) => e.type)).toEqual(['hire']);
  });
});
