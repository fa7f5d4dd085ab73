import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APP_ID,
  createUser,
  extensionBody,
  LOGIC_APP_ID,
  startLcwEmulator,
  TENANT,
  workflowBody,
  type LcwEmulator,
} from './emulator-harness';

/**
 * The emulator plays Lifecycle Workflows on the local clock: a workflow fires once per user when the trigger date is
 * reached, and its custom task reaches the app (a fake receiver here) through the Logic App stand-in with the agreed
 * token and the documented callout body.
 */
describe('Lifecycle Workflows scheduler on the local clock', () => {
  let lcw: LcwEmulator;
  let workflowId: string;

  const setUp = async (extension: Record<string, unknown> = {}) => {
    const created = await lcw.graph('POST', '/identityGovernance/lifecycleWorkflows/customTaskExtensions', {
      body: extensionBody(extension),
      token: lcw.adminToken,
    });
    const workflow = await lcw.graph('POST', '/identityGovernance/lifecycleWorkflows/workflows', {
      body: workflowBody(created.body.id!),
    });
    expect(workflow.status).toBe(201);
    workflowId = workflow.body.id!;
  };

  beforeEach(async () => {
    lcw = await startLcwEmulator();
  });
  afterEach(async () => lcw?.close());

  it('fires once, when the hire date is reached on the local clock, for users in scope only', async () => {
    await setUp();
    const ada = await createUser(lcw, 'ada', { employeeHireDate: '2030-11-26T00:00:00Z' });
    await createUser(lcw, 'bob', { employeeHireDate: '2030-11-26T00:00:00Z', department: 'Sales' });
    await createUser(lcw, 'cyd', { department: 'Engineering' });

    await lcw.runPass();
    expect(lcw.received).toHaveLength(0);

    lcw.advanceDays(1);
    const first = await lcw.runPass();
    expect(first).toMatchObject({ runsStarted: 1, usersStarted: 1, calloutsSent: 1 });
    expect(lcw.received).toHaveLength(1);
    expect((lcw.received[0]!.body as { data: { subject: { id: string } } }).data.subject.id).toBe(ada.id);

    await lcw.runPass();
    const runs = await lcw.graph('GET', `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/runs`);
    expect(runs.body.value).toHaveLength(1);
    expect(runs.body.value![0]).toMatchObject({
      workflowExecutionType: 'scheduled',
      processingStatus: 'inProgress',
      totalUsersCount: 1,
      totalTasksCount: 1,
      totalUnprocessedTasksCount: 1,
    });

    lcw.advanceDays(3);
    await lcw.runPass();
    expect(lcw.received, 'one run per workflow version and user, never twice').toHaveLength(1);
    const later = await lcw.graph('GET', `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/runs`);
    expect(later.body.value).toHaveLength(1);
    // Never resumed: the callback timeout (PT5M) failed the task meanwhile.
    expect(later.body.value![0]).toMatchObject({ processingStatus: 'completedWithErrors', failedTasksCount: 1 });
  });

  it('an offset of -2 days fires two days before the hire date', async () => {
    await setUp();
    const body = workflowBody(
      (await lcw.graph('GET', '/identityGovernance/lifecycleWorkflows/customTaskExtensions')).body.value!.at(-1)!
        .id as string,
    );
    body.executionConditions.trigger.offsetInDays = -2;
    await lcw.graph('POST', '/identityGovernance/lifecycleWorkflows/workflows', { body });
    await createUser(lcw, 'dee', { employeeHireDate: '2030-11-29T00:00:00Z' });
    lcw.advanceDays(1);
    await lcw.runPass();
    expect(lcw.received).toHaveLength(0);
    lcw.advanceDays(1);
    await lcw.runPass();
    expect(lcw.received).toHaveLength(1);
  });

  it('sends the documented callout with a token carrying the agreed claims', async () => {
    await setUp();
    const manager = await createUser(lcw, 'grace', { mail: 'grace@contoso.com' });
    const ada = await createUser(lcw, 'ada', { employeeHireDate: '2030-11-25T06:00:00Z', mail: 'ada@contoso.com' });
    await lcw.graph('PUT', `/users/${ada.id}/manager/$ref`, {
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${manager.id}` },
    });
    await lcw.runPass();

    const [callout] = lcw.received;
    const token = /^Bearer (.+)$/.exec(String(callout!.headers.authorization))![1]!;
    const { payload } = await jwtVerify(token, createLocalJWKSet(lcw.server.emulator.tokens.jwks()), {
      issuer: `${lcw.server.baseUrl}/_local/entra/${TENANT}/v2.0`,
      audience: 'api://entra-jml',
    });
    expect(payload).toMatchObject({ azp: LOGIC_APP_ID, appid: LOGIC_APP_ID, tid: TENANT });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(600);
    expect(callout!.headers['content-type']).toBe('application/json');

    const state = await lcw.lcwState();
    const result = state.taskProcessingResults[0]!;
    const task = (state.workflows.find((w) => w.id === workflowId)!.tasks as { id: string }[])[0]!;
    expect(callout!.body).toEqual({
      source: `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}`,
      type: 'lifecycleEvent',
      data: {
        '@odata.type': 'microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
        callbackUriPath:
          `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/tasks/${task.id}` +
          `/taskProcessingResults/${String(result.id)}/resume`,
        subject: {
          id: ada.id,
          displayName: 'ada',
          email: 'ada@contoso.com',
          userPrincipalName: 'ada@contoso.com',
          manager: { id: manager.id, displayName: 'grace', email: 'grace@contoso.com' },
        },
        task: { id: task.id, displayName: 'Hand over to entra-jml' },
        taskProcessingResult: { id: result.id, createdDateTime: result.createdDateTime },
        workflow: { id: workflowId, displayName: expect.any(String), workflowVersion: 1 },
      },
    });
    expect(state.callouts).toHaveLength(1);
    expect(state.callouts[0]).toMatchObject({
      status: 202,
      url: lcw.receiverUrl,
      tokenClaims: { aud: 'api://entra-jml' },
    });
    expect(JSON.stringify(state), 'the admin state holds claims, never the token').not.toContain(token);
  });

  it('retries a failed forward once (maximumRetries 1), then waits for resume', async () => {
    await setUp();
    lcw.answers.push(503);
    await createUser(lcw, 'ada', { employeeHireDate: '2030-11-25T06:00:00Z' });
    await lcw.runPass();
    expect(lcw.received).toHaveLength(2);
    const state = await lcw.lcwState();
    expect(state.callouts.map((c) => c.status)).toEqual([503, 202]);
    expect(state.taskProcessingResults[0]).toMatchObject({ processingStatus: 'inProgress' });
  });

  it('fails the task when the Logic App cannot be triggered after its retries', async () => {
    await setUp({ clientConfiguration: { maximumRetries: 0, timeoutInMilliseconds: 1000 } });
    lcw.answers.push(500);
    await createUser(lcw, 'ada', { employeeHireDate: '2030-11-25T06:00:00Z' });
    await lcw.runPass();
    expect(lcw.received).toHaveLength(1);
    const state = await lcw.lcwState();
    expect(state.taskProcessingResults[0]).toMatchObject({
      processingStatus: 'failed',
      failureReason: expect.stringContaining('HTTP 500'),
    });
    expect(state.userProcessingResults[0]).toMatchObject({ processingStatus: 'completedWithErrors' });
  });

  it('launch and continue (no callbackConfiguration): the task completes once the Logic App accepted', async () => {
    await setUp({ callbackConfiguration: undefined });
    await createUser(lcw, 'ada', { employeeHireDate: '2030-11-25T06:00:00Z' });
    await lcw.runPass();
    const state = await lcw.lcwState();
    expect(state.taskProcessingResults[0]).toMatchObject({ processingStatus: 'completed' });
    expect(state.runs[0]).toMatchObject({ processingStatus: 'completed', successfulUsersCount: 1 });
  });

  it('a resumed task completes the user and the run, and the resume is recorded with its body', async () => {
    await setUp();
    await createUser(lcw, 'ada', { employeeHireDate: '2030-11-25T06:00:00Z' });
    await lcw.runPass();
    const path = (lcw.received[0]!.body as { data: { callbackUriPath: string } }).data.callbackUriPath;
    const resumed = await lcw.graph('POST', path, {
      version: 'beta',
      body: { data: { operationStatus: 'Completed' }, source: 'entra-jml', type: 'lifecycleEvent' },
    });
    expect(resumed.status).toBe(204);
    await lcw.runPass();
    const users = await lcw.graph(
      'GET',
      `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/userProcessingResults`,
    );
    expect(users.body.value![0]).toMatchObject({ processingStatus: 'completed', failedTasksCount: 0 });
    const state = await lcw.lcwState();
    expect(state.runs[0]).toMatchObject({ processingStatus: 'completed', successfulUsersCount: 1 });
    expect(state.resumes[0]).toMatchObject({
      status: 204,
      callerAppId: APP_ID,
      body: { data: { operationStatus: 'Completed' } },
    });
  });

  it('activate runs a workflow on demand for up to 10 users, whatever its scope and trigger', async () => {
    await setUp();
    const outOfScope = await createUser(lcw, 'eve', { department: 'Sales' });
    const activate = `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/activate`;
    const tooMany = Array.from({ length: 11 }, () => ({ id: outOfScope.id }));
    expect((await lcw.graph('POST', activate, { body: { subjects: tooMany } })).status).toBe(400);
    expect((await lcw.graph('POST', activate, { body: { subjects: [{ id: 'nobody' }] } })).status).toBe(404);
    expect((await lcw.graph('POST', activate, { body: { subjects: [{ id: outOfScope.id }] } })).status).toBe(204);
    await lcw.runPass();
    expect((lcw.received[0]!.body as { data: { subject: { id: string } } }).data.subject.id).toBe(outOfScope.id);
    const runs = await lcw.graph('GET', `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/runs`);
    expect(runs.body.value![0]).toMatchObject({ workflowExecutionType: 'onDemand', totalUsersCount: 1 });
  });

  it('the seeded "Pre-hire activation" runs with ENTRA_JML_LOCAL_LCW=1 and not without', async () => {
    await createUser(lcw, 'ada', { employeeHireDate: '2030-11-25T06:00:00Z' });
    await lcw.runPass();
    expect(lcw.received).toHaveLength(0);
    await lcw.close();
    process.env.ENTRA_JML_LOCAL_LCW = '1';
    try {
      lcw = await startLcwEmulator();
      await createUser(lcw, 'ada', { employeeHireDate: '2030-11-26T06:00:00Z' });
      lcw.advanceDays(1);
      await lcw.runPass();
      expect(lcw.received).toHaveLength(1);
    } finally {
      delete process.env.ENTRA_JML_LOCAL_LCW;
    }
  });
});
