import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationClient } from '../activation/activation-client';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * Issue 18 end to end on the local host, nothing faked: a hire date reached on the local clock → the emulator's
 * seeded "Pre-hire activation" workflow runs → its custom task extension calls out through the Logic App stand-in
 * (signed token) → POST /api/lcw/tasks → the lcwTask orchestration waits for self-activation → the new starter
 * enters the mailed code → resume Completed, recorded by the emulator as the task's result.
 */
const repoRoot = path.resolve(__dirname, '../..');

interface LcwState {
  taskProcessingResults: { subject: { id: string }; processingStatus: string }[];
  callouts: { status: number | null; tokenClaims: Record<string, unknown> }[];
  resumes: { status: number; body: { data?: { operationStatus?: string } } }[];
}

describe('Lifecycle Workflows on the local host: hire date → callout → activation → resume', () => {
  let host: HostProcess;
  let jml: ReturnType<typeof jmlClient>;
  let act: ReturnType<typeof activationClient>;
  const lcw = async (): Promise<LcwState> =>
    ((await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as { lifecycleWorkflows: LcwState })
      .lifecycleWorkflows;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-lcw-e2e-'));
    const policyFile = path.join(dataDir, 'policy.yaml');
    const mapping = `
lifecycleWorkflows:
  callbackTimeout: PT1H
  tasks:
    - match: { workflowDisplayName: Pre-hire activation }
      run: activation
`;
    writeFileSync(policyFile, readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8') + mapping);
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir,
      env: {
        HR_EVENTS_QUEUE: 'hr-events',
        ENTRA_JML_POLICY_FILE: policyFile,
        ENTRA_JML_LOCAL_LCW: '1',
        ENTRA_JML_LCW_INTERVAL_MS: '500',
        LCW_AUDIENCE: 'api://entra-jml',
        LCW_CALLER_APP_IDS: '11111111-1111-4111-8111-111111111111',
      },
    });
    jml = jmlClient(host.baseUrl);
    act = activationClient(host.baseUrl);
  }, 60_000);
  afterAll(async () => host?.stop());

  it('runs the workflow on the hire date and resumes Completed once the person activated', async () => {
    const personalEmail = 'lin.grace@home.example';
    await jml.post({
      eventId: 'lcw-e2e-h',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: {
        employeeId: 'LE1',
        legalGivenName: 'Lin',
        legalFamilyName: 'Grace',
        hireDate: dayFromToday(1),
        country: 'FR',
        department: 'Engineering',
        personalEmail,
      },
    });
    const account = await jml.until('pre-hire account', async () => jml.user('LE1'));
    // Before the hire date the workflow has nothing to do.
    expect((await lcw()).taskProcessingResults.filter((t) => t.subject.id === account.id)).toEqual([]);

    await jml.advance('P1D');
    const mail = await act.waitForMail(personalEmail, 1);
    const task = await jml.until('the workflow called out', async () => {
      const state = await lcw();
      const mine = state.taskProcessingResults.find((t) => t.subject.id === account.id);
      return mine && state.callouts.some((c) => c.status === 202) ? mine : undefined;
    });
    expect(task.processingStatus).toBe('inProgress');
    const claims = (await lcw()).callouts[0]!.tokenClaims;
    expect(claims).toMatchObject({ aud: 'api://entra-jml', azp: '11111111-1111-4111-8111-111111111111' });

    expect((await act.submitCode(mail.link!, mail.code!)).status).toBe(200);
    const done = await jml.until('task completed', async () => {
      const mine = (await lcw()).taskProcessingResults.find((t) => t.subject.id === account.id);
      return mine?.processingStatus === 'completed' ? mine : undefined;
    });
    expect(done.processingStatus).toBe('completed');
    const resumes = (await lcw()).resumes.filter((r) => r.status === 204);
    expect(resumes.map((r) => r.body.data?.operationStatus)).toEqual(['Completed']);
    expect((await jml.user('LE1'))!.accountEnabled).toBe(true);
  }, 120_000);
});
