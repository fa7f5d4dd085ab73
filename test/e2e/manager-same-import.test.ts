import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * Issue 23 item 4: a manager and their reports in the same import. The reports are processed before (or while)
 * the manager's account is created; they get their manager as soon as that account exists, not at the hourly
 * manager check (the local clock never moves here).
 */
const repoRoot = path.resolve(__dirname, '../..');

describe('a manager hired in the same import as their reports', () => {
  let host: HostProcess;
  let jml: ReturnType<typeof jmlClient>;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-samebatch-')),
      env: { HR_EVENTS_QUEUE: 'hr-events' },
    });
    jml = jmlClient(host.baseUrl);
  });
  afterAll(async () => host?.stop());

  const hire = (employeeId: string, given: string, managerEmployeeId?: string) => ({
    eventId: `h-${employeeId}`,
    type: 'hire',
    occurredAt: new Date().toISOString(),
    worker: {
      employeeId,
      legalGivenName: given,
      legalFamilyName: 'Sameimport',
      country: 'FR',
      department: 'Engineering',
      hireDate: dayFromToday(0),
      ...(managerEmployeeId ? { managerEmployeeId } : {}),
    },
  });

  it('reports already provisioned without their manager get them as soon as the manager account exists', async () => {
    await jml.post([hire('SR1', 'Report', 'SM1'), hire('SR2', 'Second', 'SM1')]);
    for (const report of ['SR1', 'SR2']) await jml.processed(report, `h-${report}`);
    await jml.until('both reports provisioned without a manager', async () => {
      const users = await Promise.all(['SR1', 'SR2'].map((id) => jml.user(id)));
      return users.every((u) => u && u.manager === null);
    });
    await jml.post(hire('SM1', 'Manager'));
    const manager = await jml.until('manager account', () => jml.user('SM1'));
    for (const report of ['SR1', 'SR2'])
      await jml.until(`${report} has SM1 as manager`, async () => (await jml.user(report))?.manager === manager.id);
  });

  it('in one batch, whatever order the people are processed in', async () => {
    await jml.post([hire('SR3', 'Third', 'SM2'), hire('SR4', 'Fourth', 'SM2'), hire('SM2', 'Manager')]);
    const manager = await jml.until('manager account', () => jml.user('SM2'));
    for (const report of ['SR3', 'SR4'])
      await jml.until(`${report} has SM2 as manager`, async () => (await jml.user(report))?.manager === manager.id);
    expect((await jml.user('SR3'))?.manager).toBe(manager.id);
  });
});
