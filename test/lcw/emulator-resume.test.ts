import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APP_ID,
  createUser,
  extensionBody,
  startLcwEmulator,
  workflowBody,
  type LcwEmulator,
} from './emulator-harness';

/**
 * The resume action (identitygovernance-taskprocessingresult-resume) as Graph rules it: 204 for a task in progress,
 * 404 for an unknown taskProcessingResult, 400 for a bad body, 403 unless the caller holds
 * LifecycleWorkflows.ReadWrite.All or is an authorized app of the extension, and no resume after the callback timeout.
 */
describe('resume on the Graph emulator', () => {
  let lcw: LcwEmulator;
  let callbackUriPath: string;
  const completed = { data: { operationStatus: 'Completed' }, source: 'entra-jml', type: 'lifecycleEvent' };
  const AUTHORIZED_ONLY = '33333333-3333-4333-8333-333333333333';

  beforeEach(async () => {
    lcw = await startLcwEmulator();
    const extension = await lcw.graph('POST', '/identityGovernance/lifecycleWorkflows/customTaskExtensions', {
      token: lcw.adminToken,
      body: extensionBody({
        callbackConfiguration: {
          timeoutDuration: 'PT5M',
          authorizedApps: [{ appId: APP_ID }, AUTHORIZED_ONLY],
        },
      }),
    });
    await lcw.graph('POST', '/identityGovernance/lifecycleWorkflows/workflows', {
      body: workflowBody(extension.body.id!),
    });
    await createUser(lcw, 'ada', { employeeHireDate: '2030-11-25T06:00:00Z' });
    await lcw.runPass();
    callbackUriPath = (lcw.received[0]!.body as { data: { callbackUriPath: string } }).data.callbackUriPath;
  });
  afterEach(async () => lcw?.close());

  const resume = (path: string, body: unknown, options: { token?: string; version?: 'v1.0' | 'beta' } = {}) =>
    lcw.graph('POST', path, { body, version: options.version ?? 'beta', token: options.token });

  it('204 on beta + callbackUriPath (the Logic App template) and on v1.0', async () => {
    expect((await resume(callbackUriPath, completed)).status).toBe(204);
    const state = await lcw.lcwState();
    expect(state.taskProcessingResults[0]).toMatchObject({ processingStatus: 'completed' });
  });

  it('204 on v1.0 with the qualified action name; operationStatus failed fails the task', async () => {
    const qualified = callbackUriPath.replace(/resume$/, 'microsoft.graph.identityGovernance.resume');
    const failed = { ...completed, data: { operationStatus: 'failed' } };
    expect((await resume(qualified, failed, { version: 'v1.0' })).status).toBe(204);
    const state = await lcw.lcwState();
    expect(state.taskProcessingResults[0]).toMatchObject({ processingStatus: 'failed' });
    await lcw.runPass();
    expect((await lcw.lcwState()).userProcessingResults[0]).toMatchObject({ processingStatus: 'completedWithErrors' });
  });

  it('404 for an unknown taskProcessingResult (and for a known one under another task)', async () => {
    const unknown = callbackUriPath.replace(/taskProcessingResults\/[^/]+/, 'taskProcessingResults/nope');
    const missing = await resume(unknown, completed);
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('Request_ResourceNotFound');
    const otherTask = callbackUriPath.replace(/tasks\/[^/]+/, 'tasks/00000000-0000-4000-8000-000000000000');
    expect((await resume(otherTask, completed)).status).toBe(404);
  });

  it.each([
    ['an unknown operationStatus', { ...completed, data: { operationStatus: 'Done' } }],
    ['no data', { source: 'entra-jml', type: 'lifecycleEvent' }],
    ['an unknown property', { ...completed, extra: true }],
  ])('400 for %s, and the task keeps waiting', async (_case, body) => {
    const refused = await resume(callbackUriPath, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('Request_BadRequest');
    expect((await lcw.lcwState()).taskProcessingResults[0]).toMatchObject({ processingStatus: 'inProgress' });
  });

  it('403 for an app with neither the permission nor a place in authorizedApps', async () => {
    const stranger = await lcw.mint({
      aud: 'https://graph.microsoft.com',
      appid: '44444444-4444-4444-8444-444444444444',
    });
    const refused = await resume(callbackUriPath, completed, { token: stranger });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('Authorization_RequestDenied');
    const state = await lcw.lcwState();
    expect(state.taskProcessingResults[0]).toMatchObject({ processingStatus: 'inProgress' });
    expect(state.resumes.at(-1)).toMatchObject({ status: 403, body: completed });
  });

  it('204 for an app in authorizedApps with no Graph permission at all', async () => {
    const authorized = await lcw.mint({ aud: 'https://graph.microsoft.com', appid: AUTHORIZED_ONLY, roles: [] });
    expect((await resume(callbackUriPath, completed, { token: authorized })).status).toBe(204);
  });

  it('a second resume of the same task is refused (400): the result is no longer in progress', async () => {
    expect((await resume(callbackUriPath, completed)).status).toBe(204);
    const again = await resume(callbackUriPath, completed);
    expect(again.status).toBe(400);
    expect(again.body.error?.message).toMatch(/is completed and can no longer be resumed/);
  });

  it('after the callback timeout on the local clock the task has failed, and a late resume gets 400', async () => {
    lcw.advanceMinutes(4);
    await lcw.runPass();
    expect((await lcw.lcwState()).taskProcessingResults[0]).toMatchObject({ processingStatus: 'inProgress' });
    lcw.advanceMinutes(2);
    await lcw.runPass();
    const state = await lcw.lcwState();
    expect(state.taskProcessingResults[0]).toMatchObject({
      processingStatus: 'failed',
      failureReason: expect.stringContaining('callback timeout'),
    });
    expect(state.userProcessingResults[0]).toMatchObject({ processingStatus: 'completedWithErrors' });
    const late = await resume(callbackUriPath, completed);
    expect(late.status).toBe(400);
    expect(late.body.error?.message).toMatch(/is failed/);
  });

  it('a resume that arrives after the timeout but before the next pass is refused too', async () => {
    lcw.advanceMinutes(6);
    expect((await resume(callbackUriPath, completed)).status).toBe(400);
    expect((await lcw.lcwState()).taskProcessingResults[0]).toMatchObject({ processingStatus: 'failed' });
  });
});
