import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationClient } from '../activation/activation-client';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * Issue 18, app side, on the local host: a Lifecycle Workflows custom task extension callout, forwarded with the
 * Logic App's token, becomes one lcw-{taskProcessingResultId} orchestration that runs the policy-mapped work and
 * resumes the task on the Graph emulator (its record of resume calls: /_local/graph/_admin/lifecycle-resumes).
 * Payloads are shaped as the Logic App trigger schema documents them (configure-logic-app-lifecycle-workflows).
 */
const repoRoot = path.resolve(__dirname, '../..');
const TENANT = '11111111-1111-4111-8111-111111111111';
const LOGIC_APP = '11111111-1111-4111-8111-111111111111';
const AUDIENCE = 'api://entra-jml';
const SALES = 'a0000000-0000-4000-8000-000000000004';

const LCW_POLICY = `
lifecycleWorkflows:
  callbackTimeout: PT1H
  tasks:
    - match: { taskDisplayName: Grant sales access }
      run: accessPackage
      accessPackage:
        groups: [{ id: ${SALES}, name: Sales }]
    - match: { taskDisplayName: Grant project access }
      run: accessPackage
      accessPackage:
        groups: [{ id: b0000000-0000-4000-8000-0000000000ad, name: Project Atlas }]
    - match: { workflowDisplayName: Leaver }
      run: leaver
    - match: { taskDisplayName: Activate account }
      run: activation
`;

interface Resume {
  path: string;
  body: { data: { operationStatus: string }; source: string; type: string };
}
interface AuditRow {
  action: string;
  outcome: string;
  reason: string | null;
  correlation: { eventId?: string; instanceId?: string };
}

describe('POST /api/lcw/tasks (Lifecycle Workflows custom task extension)', () => {
  let host: HostProcess;
  let jml: ReturnType<typeof jmlClient>;
  let act: ReturnType<typeof activationClient>;

  const token = async (claims: Record<string, unknown>) =>
    (
      (await (
        await fetch(`${host.baseUrl}/_local/entra/_admin/token`, { method: 'POST', body: JSON.stringify(claims) })
      ).json()) as { access_token: string }
    ).access_token;
  const logicAppToken = () => token({ aud: AUDIENCE, appid: LOGIC_APP });

  const callout = (subjectId: string, task: string, workflow = 'Onboarding', tpr = randomUUID()) => {
    const workflowId = randomUUID();
    const taskId = randomUUID();
    return {
      tpr,
      body: {
        source: `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}`,
        type: 'lifecycleEvent',
        data: {
          '@odata.type': 'microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
          callbackUriPath:
            `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/tasks/${taskId}` +
            `/taskProcessingResults/${tpr}/resume`,
          subject: { id: subjectId, displayName: 'Someone', userPrincipalName: 'someone@contoso.com' },
          task: { id: taskId, displayName: task },
          taskProcessingResult: { id: tpr, createdDateTime: new Date().toISOString() },
          workflow: { id: workflowId, displayName: workflow, workflowVersion: 1 },
        },
      },
    };
  };
  const registered = new Set<string>();
  // The emulator resumes only tasks a workflow run left waiting (unknown ids are 404, as in Graph): each callout's
  // task processing result is registered as pending once, as the run that would have sent it.
  const register = async (body: unknown) => {
    const data = (body as { data?: ReturnType<typeof callout>['body']['data'] }).data;
    const id = data?.taskProcessingResult?.id;
    if (!data || !id || registered.has(id)) return;
    registered.add(id);
    const res = await fetch(`${host.baseUrl}/_local/graph/_admin/lcw/task-processing-results`, {
      method: 'POST',
      body: JSON.stringify({ id, workflowId: data.workflow.id, taskId: data.task.id, subjectId: data.subject.id }),
    });
    expect(res.status).toBe(201);
  };
  const send = async (body: unknown, authorization: string | null) => {
    await register(body);
    return fetch(`${host.baseUrl}/api/lcw/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
  };
  const resumes = async (tpr: string): Promise<Resume[]> =>
    (
      (await (await fetch(`${host.baseUrl}/_local/graph/_admin/lifecycle-resumes`)).json()) as { value: Resume[] }
    ).value.filter((r) => r.path.includes(`/taskProcessingResults/${tpr}/`));
  const resumed = (tpr: string) => jml.until(`resume of ${tpr}`, async () => (await resumes(tpr))[0], 60_000);
  const auditRows = async (tpr: string): Promise<AuditRow[]> =>
    ((await (await fetch(`${host.baseUrl}/api/ops/audit?limit=10000`)).json()) as { value: AuditRow[] }).value.filter(
      (r) => r.correlation.eventId === tpr,
    );
  const instance = async (tpr: string) => act.instance(`lcw-${tpr}`);
  const hire = async (employeeId: string, extra: object = {}) => {
    await jml.post({
      eventId: `h-${employeeId}`,
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: {
        employeeId,
        legalGivenName: 'Grace',
        legalFamilyName: `Hopper ${employeeId}`,
        hireDate: dayFromToday(0),
        country: 'US',
        department: 'Engineering',
        ...extra,
      },
    });
    return jml.until(`account of ${employeeId}`, async () => {
      const status = await jml.person(employeeId);
      const user = await jml.user(employeeId);
      return status?.phase === 'active' && user ? user : null;
    });
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-lcw-'));
    const policyFile = path.join(dataDir, 'policy.yaml');
    writeFileSync(policyFile, readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8') + LCW_POLICY);
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir,
      env: {
        HR_EVENTS_QUEUE: 'hr-events',
        ENTRA_JML_POLICY_FILE: policyFile,
        LCW_AUDIENCE: AUDIENCE,
        LCW_CALLER_APP_IDS: LOGIC_APP,
      },
    });
    jml = jmlClient(host.baseUrl);
    act = activationClient(host.baseUrl);
  }, 60_000);
  afterAll(async () => host?.stop());

  it('401 for missing, expired, wrong-audience, wrong-caller, wrong-issuer tokens: nothing runs', async () => {
    const subject = randomUUID();
    const cases: [string, string | null, RegExp][] = [
      ['missing', null, /missing bearer token/],
      ['expired', `Bearer ${await token({ aud: AUDIENCE, appid: LOGIC_APP, lifetimeSeconds: -600 })}`, /expired/],
      ['audience', `Bearer ${await token({ aud: 'api://someone-else', appid: LOGIC_APP })}`, /audience/],
      ['caller', `Bearer ${await token({ aud: AUDIENCE, appid: randomUUID() })}`, /caller azp .* not an accepted/],
      [
        'issuer',
        `Bearer ${await token({
          aud: AUDIENCE,
          appid: LOGIC_APP,
          issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        })}`,
        /issuer/,
      ],
      ['not a JWT', 'Bearer not-a-token', /./],
    ];
    const refused: string[] = [];
    for (const [what, authorization, reason] of cases) {
      const { tpr, body } = callout(subject, 'Grant sales access');
      const res = await send(body, authorization);
      expect(res.status, what).toBe(401);
      const answer = (await res.json()) as { error: string; reason: string };
      expect(answer.reason, what).toMatch(reason);
      // RFC 6750 §3.1: no error code when the request carried no token at all.
      expect(res.headers.get('www-authenticate'), what).toEqual(
        authorization ? expect.stringMatching(/^Bearer error="invalid_token", error_description="/) : 'Bearer',
      );
      refused.push(tpr);
    }
    for (const tpr of refused) {
      expect(await instance(tpr)).toBeNull();
      expect(await resumes(tpr)).toEqual([]);
      expect(await auditRows(tpr)).toEqual([]);
    }
  });

  it('answers 400 with the field and reason for a body that is not the documented callout', async () => {
    const auth = `Bearer ${await logicAppToken()}`;
    const { body } = callout(randomUUID(), 'Grant sales access');
    const noResult = { ...body, data: { ...body.data, taskProcessingResult: undefined } };
    const res = await send(noResult, auth);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { problems: { path: string }[] }).problems).toEqual([
      expect.objectContaining({ path: 'data.taskProcessingResult' }),
    ]);
    // Our Graph token goes with the resume POST: a callback path elsewhere in Graph is refused.
    const elsewhere = { ...body, data: { ...body.data, callbackUriPath: '/users/someone/microsoft.graph.delete' } };
    const refused = await send(elsewhere, auth);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { problems: { path: string; reason: string }[] }).problems[0]).toMatchObject({
      path: 'data.callbackUriPath',
    });
  });

  it('runs a mapped access package and resumes Completed; a repeated callout runs the work once', async () => {
    const user = await hire('LCW1');
    const auth = `Bearer ${await logicAppToken()}`;
    const { tpr, body } = callout(user.id, 'Grant sales access');
    const first = await send(body, auth);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ instanceId: `lcw-${tpr}`, duplicate: false });
    // The Logic App retries (maximumRetries 1) and may deliver twice at once: all land on the same instance.
    const again = await Promise.all([send(body, auth), send(body, auth)]);
    for (const res of again) {
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ instanceId: `lcw-${tpr}`, duplicate: true });
    }
    const resume = await resumed(tpr);
    expect(resume.path).toBe(body.data.callbackUriPath);
    expect(resume.body).toEqual({
      data: { operationStatus: 'Completed' },
      source: 'entra-jml',
      type: 'lifecycleEvent',
    });
    expect((await jml.user('LCW1'))!.groups).toContain('Sales');
    // A callout after the work ended finds the finished instance: nothing runs again.
    const late = await send(body, auth);
    expect(await late.json()).toMatchObject({ duplicate: true });
    expect(await resumes(tpr)).toHaveLength(1);
    const rows = await auditRows(tpr);
    expect(rows.filter((r) => r.action === 'lcw.work')).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'lcw.accessPackage')).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'lcw.resume')).toEqual([
      expect.objectContaining({ outcome: 'success', reason: 'added to Sales', correlation: expect.anything() }),
    ]);
    expect((await instance(tpr))?.output).toMatchObject({ operationStatus: 'Completed', resumed: true });
  });

  it('resumes Failed with the reason when the task fails or maps to nothing', async () => {
    const user = await hire('LCW2');
    const auth = `Bearer ${await logicAppToken()}`;
    const missingGroup = callout(user.id, 'Grant project access');
    const unmapped = callout(user.id, 'Send welcome gift');
    expect((await send(missingGroup.body, auth)).status).toBe(202);
    expect((await send(unmapped.body, auth)).status).toBe(202);

    expect((await resumed(missingGroup.tpr)).body.data.operationStatus).toBe('Failed');
    const failed = (await auditRows(missingGroup.tpr)).find((r) => r.action === 'lcw.resume');
    expect(failed).toMatchObject({ outcome: 'success', reason: expect.stringMatching(/Project Atlas/) });

    expect((await resumed(unmapped.tpr)).body.data.operationStatus).toBe('Failed');
    expect((await instance(unmapped.tpr))?.output).toMatchObject({
      operationStatus: 'Failed',
      reason: 'no lifecycleWorkflows.tasks entry matches task "Send welcome gift" of workflow "Onboarding"',
    });
  });

  it('retries a throttled resume with the durable retry policy and audits each attempt', async () => {
    // Unmapped: the work makes no Graph call, so the throttled requests are the resume's. The Graph client retries
    // a 429 three times itself (4 requests), then the activity fails and the durable retry sends it again.
    await fetch(`${host.baseUrl}/_local/graph/_admin/faults`, {
      method: 'POST',
      body: JSON.stringify({ throttleNext: 5, throttleRetryAfterSeconds: 0 }),
    });
    const { tpr, body } = callout(randomUUID(), 'Send welcome gift');
    expect((await send(body, `Bearer ${await logicAppToken()}`)).status).toBe(202);
    expect((await resumed(tpr)).body.data.operationStatus).toBe('Failed');
    const attempts = (await auditRows(tpr)).filter((r) => r.action === 'lcw.resume');
    expect(attempts.map((r) => r.outcome)).toEqual(['failure', 'success']);
    expect(attempts[0]!.reason).toMatch(/^resume refused: /);
    expect(await resumes(tpr)).toHaveLength(1);
  });

  it("runs a leaver through the person's lifecycle and resumes Completed once the account is disabled", async () => {
    const user = await hire('LCW3');
    const { tpr, body } = callout(user.id, 'Offboard', 'Leaver');
    expect((await send(body, `Bearer ${await logicAppToken()}`)).status).toBe(202);
    expect((await resumed(tpr)).body.data.operationStatus).toBe('Completed');
    expect(await jml.user('LCW3')).toMatchObject({ accountEnabled: false, groups: [] });
    expect((await jml.person('LCW3'))?.phase).toBe('left');
  });

  it('waits for self-activation: Completed once activated, Failed when the timeout comes first', async () => {
    const address = (id: string) => `${id.toLowerCase()}@home.example`;
    const activating = await hire('LCW4', { personalEmail: address('LCW4') });
    const mail = await act.waitForMail(address('LCW4'), 1);
    const auth = `Bearer ${await logicAppToken()}`;
    const waited = callout(activating.id, 'Activate account');
    expect((await send(waited.body, auth)).status).toBe(202);
    await jml.until('lcw task waiting', async () => {
      const status = await instance(waited.tpr);
      return (status?.customStatus as { status?: string } | null)?.status === 'waiting';
    });
    // The running activation (started on day 1) is the one waited for: no second mail.
    expect(await act.mailsTo(address('LCW4'))).toHaveLength(1);
    expect((await act.submitCode(mail.link!, mail.code!)).status).toBe(200);
    expect((await resumed(waited.tpr)).body.data.operationStatus).toBe('Completed');

    const late = await hire('LCW5', { personalEmail: address('LCW5') });
    await act.waitForMail(address('LCW5'), 1);
    const timedOut = callout(late.id, 'Activate account');
    expect((await send(timedOut.body, auth)).status).toBe(202);
    await jml.until('lcw task waiting', async () => {
      const status = await instance(timedOut.tpr);
      return (status?.customStatus as { status?: string } | null)?.status === 'waiting';
    });
    await jml.advance('PT1H');
    expect((await resumed(timedOut.tpr)).body.data.operationStatus).toBe('Failed');
    expect((await instance(timedOut.tpr))?.output).toMatchObject({
      operationStatus: 'Failed',
      reason: 'not done within 55 min (callback timeout): waiting for the person to activate',
    });
  });
});
