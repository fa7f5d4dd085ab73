import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient, type DirUser } from '../support/jml-client';

/**
 * Issue 24, what a retried leaver must not do (see step-retry.test.ts for how a failed step is retried): count twice
 * for the accidental-deletion threshold (each retry runs in a fresh child instance), or forget the groups its failed
 * attempt had already removed (the retry no longer sees them as memberships, so a rehire did not give them back).
 * Graph goes down right after the leaver's first group removal; the durable clock is moved so the retry runs.
 *
 * The policy is the shipped one with maxPerHour 2, and "All Employees" granted to interns only: granted by hand to
 * an employee, it is the lowest group id of the person's memberships, i.e. the leaver's first removal (memberOf is
 * read in id order), the one the failed attempt makes.
 */
const repoRoot = path.resolve(__dirname, '../..');
const SECRET = 'leaver-retry-secret';
const ALL_EMPLOYEES = 'a0000000-0000-4000-8000-000000000001';
const CRM_ADMINS = 'a0000000-0000-4000-8000-000000000022';
const REMOVAL = 'DELETE /groups/{id}/members/{id}/$ref';

interface PersonView {
  runtimeStatus: string;
  lastEvents: string[];
  pendingStep?: { step: string; attempt: number };
}

describe('a leaver retried after Graph failed midway (issue 24)', () => {
  let host: HostProcess;
  let jml: ReturnType<typeof jmlClient>;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jml-leaver-retry-'));
    const policyFile = path.join(dir, 'policy.yaml');
    const policy = readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8');
    const changed = policy
      .replace(/maxPerHour: \d+/, 'maxPerHour: 2')
      .replace('employmentType: [employee, intern]', 'employmentType: [intern]');
    expect(changed).not.toContain('employmentType: [employee, intern]');
    writeFileSync(policyFile, changed);
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: path.join(dir, 'data'),
      env: { HR_EVENTS_QUEUE: 'hr-events', HR_WEBHOOK_SECRETS: SECRET, ENTRA_JML_POLICY_FILE: policyFile },
    });
    jml = jmlClient(host.baseUrl, SECRET);
  });
  afterAll(async () => host?.stop());

  const faults = async (change: Record<string, unknown>) =>
    expect((await jml.postJson('/_local/graph/_admin/faults', change)).status).toBe(200);
  const person = (employeeId: string) => jml.getJson<PersonView>(`/api/persons/${employeeId}`);
  const holds = async () =>
    (await jml.getJson<{ value: { employeeId: string; status: string }[] }>('/api/ops/holds')).value;
  const event = (type: string, eventId: string, employeeId: string, extra: object = {}) => ({
    eventId,
    type,
    occurredAt: new Date().toISOString(),
    ...extra,
    worker: {
      employeeId,
      legalGivenName: 'Leaver',
      legalFamilyName: `Retry${employeeId}`,
      hireDate: dayFromToday(0),
      country: 'FR',
      department: 'Engineering',
    },
  });
  /** A membership an admin granted by hand, through Graph (group-post-members). */
  const grantByHand = async (groupId: string, userId: string) => {
    const minted = await jml.postJson('/_local/entra/_admin/token', {
      aud: 'https://graph.microsoft.com',
      roles: ['GroupMember.ReadWrite.All'],
    });
    const { access_token: token } = (await minted.json()) as { access_token: string };
    const res = await jml.postJson(
      `/_local/graph/v1.0/groups/${groupId}/members/$ref`,
      { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` },
      { authorization: `Bearer ${token}` },
    );
    expect(res.status).toBe(204);
  };
  const hired = async (employeeId: string): Promise<DirUser> => {
    await jml.post(event('hire', `h-${employeeId}`, employeeId));
    return jml.until(`${employeeId} hired with access`, async () => {
      const user = await jml.user(employeeId);
      const view = await person(employeeId);
      return user && user.groups.length >= 2 && view.lastEvents.includes(`h-${employeeId}`) ? user : null;
    });
  };
  /** Moves the durable clock a little at a time (each retry timer fires in turn) until `check` holds. */
  const advanceUntil = async <T>(what: string, check: () => Promise<T | null | undefined | false>): Promise<T> => {
    for (let round = 0; round < 120; round++) {
      const value = await check();
      if (value) return value;
      await jml.advance('PT2M');
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`never reached: ${what}`);
  };
  const leftWithoutGroups = (employeeId: string) =>
    jml.until(`${employeeId} left`, async () => {
      const user = await jml.user(employeeId);
      return user && !user.accountEnabled && user.groups.length === 0 && !(await person(employeeId)).pendingStep;
    });

  let before: DirUser;

  it('counts the retried leaver once for the deletion threshold, and removes each membership once', async () => {
    before = await hired('R1');
    await hired('R2');
    await hired('R3');
    await grantByHand(ALL_EMPLOYEES, before.id);
    await grantByHand(CRM_ADMINS, before.id);
    before = (await jml.user('R1'))!;
    expect(before.groups).toEqual(expect.arrayContaining(['All Employees', 'App - Acme CRM Admins', 'Engineering']));

    const removalsBefore = await jml.graphWrites(REMOVAL);
    await faults({ unavailableAfter: REMOVAL, throttleRetryAfterSeconds: 0 });
    await jml.post(event('terminate', 't-R1', 'R1', { immediate: true }));
    await advanceUntil('R1 leaver pending', async () => {
      const view = await person('R1');
      if (view.runtimeStatus === 'Failed') throw new Error('the lifecycle of R1 failed');
      return view.pendingStep?.step === 'leaver';
    });
    // The failed attempt's one removal: the hand-granted All Employees (the premise of the rehire case below).
    const partial = (await jml.user('R1'))!;
    expect(partial.groups).toHaveLength(before.groups.length - 1);
    expect(partial.groups).not.toContain('All Employees');

    await faults({ unavailable: false, unavailableAfter: '', throttleRetryAfterSeconds: 1 });
    await jml.advance('PT31M');
    await leftWithoutGroups('R1');
    expect((await jml.graphWrites(REMOVAL)) - removalsBefore).toBe(before.groups.length);

    // maxPerHour 2: R1's leaver, however many attempts it took, is one removal of the hour, so R2 goes through...
    await jml.post(event('terminate', 't-R2', 'R2', { immediate: true }));
    await leftWithoutGroups('R2');
    expect(await holds()).toEqual([]);
    // ...and the threshold still holds the third.
    await jml.post(event('terminate', 't-R3', 'R3', { immediate: true }));
    const held = await jml.until('R3 held', async () => {
      const all = await holds();
      return all.length ? all : null;
    });
    expect(held).toMatchObject([{ employeeId: 'R3', status: 'held' }]);
    expect((await jml.user('R3'))!.accountEnabled).toBe(true);
  }, 240_000);

  it('a rehire restores every group the person had, the ones the failed attempt removed included', async () => {
    await jml.post(event('rehire', 'r-R1', 'R1'));
    const back = await jml.until('R1 rehired with its groups', async () => {
      const user = await jml.user('R1');
      const view = await person('R1');
      return user?.accountEnabled && view.lastEvents.includes('r-R1') && !view.pendingStep ? user : null;
    });
    expect(back.id).toBe(before.id);
    expect([...back.groups].sort()).toEqual([...before.groups].sort());
  }, 120_000);
});
