import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';
import type { GraphRequest } from '../../local/emulators/graph/graph-api';
import { createDirectory, type GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';
import { collectLicenceSnapshot } from '../../shared/licences/collect';
import { buildLicenceReport } from '../../shared/licences/report';
import { ACME_PRO, policy } from './fixtures';
import { seedWithoutLicenceDemo } from './clean-emulator';

const INSTANCES = '/identityGovernance/privilegedAccess/group/assignmentScheduleInstances';
const NOW = new Date();
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString();

/**
 * End dates of licence access come from PIM for Groups (privilegedaccessgroup-list-assignmentscheduleinstances):
 * the emulator answers as Graph does and the report turns them into expiring and expired-still-held problems.
 */
describe('time-limited licence access (PIM for Groups end dates)', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let directory: GraphDirectory;
  const api = () => server.emulator.api;
  const get = (p: string, roles?: string[]) => {
    const url = new URL(p, 'http://x');
    const req: GraphRequest = {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: undefined,
      version: 'v1.0',
      roles,
    };
    return api().handle(req);
  };
  const addUser = (n: number) => {
    const id = `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    api().store.saveUser({
      id,
      userPrincipalName: `tl${n}@contoso.com`,
      mailNickname: `tl${n}`,
      displayName: `Time Limited ${n}`,
      accountEnabled: true,
      createdDateTime: '2025-01-01T00:00:00Z',
      deletedDateTime: null,
      signInSessionsValidFromDateTime: null,
      assignedLicenses: [],
      usageLocation: 'FR',
      department: 'Engineering',
    });
    return id;
  };

  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-pim-')) });
    directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    seedWithoutLicenceDemo(api());
    api().store.saveGroup({ id: ACME_PRO, displayName: 'Acme Pro', groupTypes: [], mailNickname: 'AcmePro' });
  });

  it('refuses a list without a groupId or principalId filter, and a token without the PIM read permission', () => {
    expect(get(INSTANCES).status).toBe(400);
    expect(get(`${INSTANCES}?$filter=accessId eq 'member'`).status).toBe(400);
    const denied = get(`${INSTANCES}?$filter=groupId eq '${ACME_PRO}'`, ['GroupMember.ReadWrite.All']);
    expect(denied.status).toBe(403);
    const allowed = get(`${INSTANCES}?$filter=groupId eq '${ACME_PRO}'`, [
      'PrivilegedAssignmentSchedule.Read.AzureADGroup',
    ]);
    expect(allowed.status).toBe(200);
  });

  it('the adapter reads every page of member assignments with an end date, not owners or permanent ones', async () => {
    for (let n = 1; n <= 130; n++)
      api().pimGroups.add({ groupId: ACME_PRO, principalId: addUser(n), endDateTime: days(n) });
    api().pimGroups.add({ groupId: ACME_PRO, principalId: addUser(500), endDateTime: null });
    api().pimGroups.add({ groupId: ACME_PRO, principalId: addUser(501), accessId: 'owner', endDateTime: days(3) });
    const memberships = await directory.listTimeLimitedMemberships([ACME_PRO]);
    expect(memberships).toHaveLength(130);
    expect(memberships).toContainEqual({ groupId: ACME_PRO, userId: expect.any(String), endDateTime: days(1) });
  });

  it('the report shows access ending soon, and access that ended but is still held', async () => {
    const soon = addUser(1);
    const ended = addUser(2);
    const endedAndGone = addUser(3);
    api().store.addMember(ACME_PRO, soon);
    api().store.addMember(ACME_PRO, ended);
    api().pimGroups.add({ groupId: ACME_PRO, principalId: soon, endDateTime: days(3) });
    api().pimGroups.add({ groupId: ACME_PRO, principalId: ended, endDateTime: days(-2) });
    api().pimGroups.add({ groupId: ACME_PRO, principalId: endedAndGone, endDateTime: days(-2) });
    const p = policy();
    const snapshot = await collectLicenceSnapshot(directory, p, { now: NOW });
    expect(snapshot.endDatesAvailable).toBe(true);
    const report = buildLicenceReport({ snapshot, policy: p, history: [], now: NOW });
    const of = (kind: string) => report.problems.filter((pr) => pr.kind === kind).flatMap((pr) => pr.people);
    expect(of('expiring-membership').map((x) => x.id)).toEqual([soon]);
    expect(of('expired-membership').map((x) => x.id)).toEqual([ended]);
  });
});
