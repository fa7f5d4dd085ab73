import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extensionBody,
  SEEDED_EXTENSION,
  SEEDED_WORKFLOW,
  startLcwEmulator,
  workflowBody,
  type LcwEmulator,
} from './emulator-harness';

/**
 * The emulator's Lifecycle Workflows API refuses what Graph refuses (status and OData error body) and answers the
 * shapes Graph answers: custom task extensions, workflows, runs and processing results, under v1.0 and beta.
 */
describe('Lifecycle Workflows API on the Graph emulator', () => {
  let lcw: LcwEmulator;
  let extensionId: string;

  beforeAll(async () => {
    lcw = await startLcwEmulator();
    const created = await lcw.graph('POST', '/identityGovernance/lifecycleWorkflows/customTaskExtensions', {
      body: extensionBody(),
      token: lcw.adminToken,
    });
    expect(created.status).toBe(201);
    extensionId = created.body.id!;
  });
  afterAll(async () => lcw?.close());

  describe('custom task extensions', () => {
    const path = '/identityGovernance/lifecycleWorkflows/customTaskExtensions';

    it('creates one with a delegated token: 201 with an id and the documented defaults', async () => {
      const { clientConfiguration: _omitted, ...withoutClient } = extensionBody({ displayName: 'defaults' });
      const created = await lcw.graph('POST', path, { body: withoutClient, token: lcw.adminToken });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        displayName: 'defaults',
        clientConfiguration: { maximumRetries: 1, timeoutInMilliseconds: 1000 },
        callbackConfiguration: { timeoutDuration: 'PT5M' },
      });
      const read = await lcw.graph('GET', `${path}/${created.body.id}`, { version: 'beta' });
      expect(read.status).toBe(200);
      expect(read.body.displayName).toBe('defaults');
    });

    it('refuses an application token: creating an extension is delegated only (403)', async () => {
      const refused = await lcw.graph('POST', path, { body: extensionBody() });
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('Authorization_RequestDenied');
    });

    it.each([
      ['an unknown property', { logicAppUrl: 'https://example.test' }, /Property 'logicAppUrl' does not exist/],
      ['a callback timeout under 5 minutes', { callbackConfiguration: { timeoutDuration: 'PT1M' } }, /PT5M and PT3H/],
      ['a callback timeout over 3 hours', { callbackConfiguration: { timeoutDuration: 'PT4H' } }, /PT5M and PT3H/],
      ['two retries', { clientConfiguration: { maximumRetries: 2 } }, /maximumRetries/],
      ['a trigger timeout over 2000 ms', { clientConfiguration: { timeoutInMilliseconds: 5000 } }, /timeoutInMill/],
      ['no displayName', { displayName: undefined }, /'displayName' is required/],
    ])('refuses %s with 400 and an OData error', async (_case, change, message) => {
      const refused = await lcw.graph('POST', path, { body: extensionBody(change), token: lcw.adminToken });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'Request_BadRequest', message: expect.stringMatching(message) });
      expect(refused.body.error?.innerError?.['request-id']).toBeTruthy();
    });

    it('lists the seeded "entra-jml activation" extension', async () => {
      const list = await lcw.graph('GET', path);
      expect(list.status).toBe(200);
      expect(list.body.value?.map((e) => e.id)).toContain(SEEDED_EXTENSION);
    });
  });

  describe('workflows', () => {
    const path = '/identityGovernance/lifecycleWorkflows/workflows';

    it('creates a joiner workflow: 201, version 1, tasks with ids, category and executionSequence', async () => {
      const created = await lcw.graph('POST', path, { body: workflowBody(extensionId) });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ category: 'joiner', version: 1, isEnabled: true });
      const tasks = created.body.tasks as Record<string, unknown>[];
      expect(tasks[0]).toMatchObject({ id: expect.any(String), category: 'joiner', executionSequence: 1 });
      const read = await lcw.graph('GET', `${path}/${created.body.id}`, { version: 'beta' });
      expect(read.body.displayName).toBe(created.body.displayName);
      expect((await lcw.graph('GET', `${path}/${created.body.id}/runs`)).body.value).toEqual([]);
      expect((await lcw.graph('GET', `${path}/${created.body.id}/userProcessingResults`)).body.value).toEqual([]);
    });

    it('creates a leaver workflow on employeeLeaveDateTime for all users with a leave date', async () => {
      const body = workflowBody(extensionId, { category: 'leaver' });
      body.executionConditions.trigger.timeBasedAttribute = 'employeeLeaveDateTime';
      body.executionConditions.trigger.offsetInDays = -7;
      body.executionConditions.scope.rule = '(employeeLeaveDateTime ne null)';
      expect((await lcw.graph('POST', path, { body })).status).toBe(201);
    });

    it.each([
      ['an unknown property', { owner: 'me' }, /Property 'owner' does not exist/],
      ['no tasks', { tasks: undefined }, /'tasks' is required/],
      ['no executionConditions', { executionConditions: undefined }, /'executionConditions' is required/],
      ['the mover category on an unknown trigger', { category: 'sideways' }, /category/],
      ['scheduling on a disabled workflow', { isEnabled: false, isSchedulingEnabled: true }, /isSchedulingEnabled/],
    ])('refuses %s with 400', async (_case, change, message) => {
      const refused = await lcw.graph('POST', path, { body: workflowBody(extensionId, change) });
      expect(refused.status).toBe(400);
      expect(refused.body.error?.message).toMatch(message);
    });

    it('refuses offsetInDays outside -180..180 and a scope rule that is not a filter', async () => {
      const far = workflowBody(extensionId);
      far.executionConditions.trigger.offsetInDays = 181;
      expect((await lcw.graph('POST', path, { body: far })).status).toBe(400);
      const badRule = workflowBody(extensionId);
      badRule.executionConditions.scope.rule = "(department eq 'Sales'";
      expect((await lcw.graph('POST', path, { body: badRule })).status).toBe(400);
    });

    it('refuses a custom task without customTaskExtensionID or naming an unknown extension', async () => {
      const none = workflowBody(extensionId);
      none.tasks[0]!.arguments = [];
      expect((await lcw.graph('POST', path, { body: none })).body.error?.message).toMatch(/customTaskExtensionID/);
      const unknown = workflowBody('00000000-0000-4000-8000-00000000dead');
      expect((await lcw.graph('POST', path, { body: unknown })).body.error?.message).toMatch(/does not exist/);
    });

    it('refuses more than 25 tasks (governance service limits)', async () => {
      const body = workflowBody(extensionId);
      body.tasks = Array.from({ length: 26 }, () => ({ ...body.tasks[0]! }));
      expect((await lcw.graph('POST', path, { body })).status).toBe(400);
    });

    it('refuses a token without LifecycleWorkflows permissions (403) and reads with Read.All', async () => {
      const none = await lcw.mint({ aud: 'https://graph.microsoft.com', appid: 'x', roles: ['User.Read.All'] });
      expect((await lcw.graph('GET', path, { token: none })).status).toBe(403);
      expect((await lcw.graph('POST', path, { token: none, body: workflowBody(extensionId) })).status).toBe(403);
      const reader = await lcw.mint({ aud: 'https://graph.microsoft.com', roles: ['LifecycleWorkflows.Read.All'] });
      expect((await lcw.graph('GET', path, { token: reader })).status).toBe(200);
      expect((await lcw.graph('POST', path, { token: reader, body: workflowBody(extensionId) })).status).toBe(403);
    });

    it('seeds "Pre-hire activation", disabled unless ENTRA_JML_LOCAL_LCW=1', async () => {
      const seeded = await lcw.graph('GET', `${path}/${SEEDED_WORKFLOW}`);
      expect(seeded.body).toMatchObject({
        displayName: 'Pre-hire activation',
        category: 'joiner',
        isEnabled: false,
        isSchedulingEnabled: false,
        executionConditions: { trigger: { timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 } },
      });
      const task = (seeded.body.tasks as { arguments: { name: string; value: string }[] }[])[0]!;
      expect(task.arguments).toEqual([{ name: 'customTaskExtensionID', value: SEEDED_EXTENSION }]);
    });

    it('answers 404 with an OData error for an unknown workflow', async () => {
      const missing = await lcw.graph('GET', `${path}/00000000-0000-4000-8000-000000000000/runs`);
      expect(missing.status).toBe(404);
      expect(missing.body.error?.code).toBe('Request_ResourceNotFound');
    });
  });
});
