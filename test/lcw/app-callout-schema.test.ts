import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../shared/domain/hr-event';
import { parsePolicy } from '../../shared/domain/policy';
import { durationMs, workBudgetMs } from '../../shared/lcw/callback-timeout';
import { LcwCallout, lcwInstanceId, lcwTaskInput } from '../../shared/lcw/callout';
import { matchLcwTask } from '../../shared/lcw/task-mapping';

/**
 * The callout as the Logic App trigger schema documents it
 * (https://learn.microsoft.com/entra/id-governance/configure-logic-app-lifecycle-workflows), parsed defensively;
 * the policy's task mapping and callback timeout (PT5M..PT3H,
 * https://learn.microsoft.com/graph/api/resources/identitygovernance-customtaskextensioncallbackconfiguration).
 */
const WORKFLOW = '4f36da05-5df8-457d-adb3-b132e7b59571';
const TASK = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
const RESULT = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
const RESUME =
  `/identityGovernance/lifecycleWorkflows/workflows/${WORKFLOW}/tasks/${TASK}` +
  `/taskProcessingResults/${RESULT}/resume`;

const callout = (data: Record<string, unknown> = {}) => ({
  source: 'sample',
  type: 'lifecycleEvent',
  data: {
    '@odata.type': 'microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
    callbackUriPath: RESUME,
    subject: { id: '9a1b2c3d-0000-4000-8000-000000000001', manager: null, somethingNew: true },
    task: { id: TASK, displayName: 'Grant sales access' },
    taskProcessingResult: { id: RESULT.toUpperCase(), createdDateTime: '2026-12-01T08:00:00Z' },
    workflow: { id: WORKFLOW, displayName: 'Onboarding', workflowVersion: 3 },
    ...data,
  },
});
const problems = (body: unknown) => {
  const parsed = LcwCallout.safeParse(body);
  return parsed.success ? [] : describeIssues(parsed.error);
};

describe('the Lifecycle Workflows callout', () => {
  it('accepts the documented shape with extra properties, one instance per task result whatever its case', () => {
    const parsed = LcwCallout.parse(callout());
    expect(lcwTaskInput(parsed)).toMatchObject({
      taskProcessingResultId: RESULT,
      taskDisplayName: 'Grant sales access',
    });
    expect(lcwInstanceId(RESULT.toUpperCase())).toBe(lcwInstanceId(RESULT));
  });

  it('accepts the other documented resume navigation paths of the same task result', () => {
    const viaRun =
      `/identityGovernance/lifecycleWorkflows/workflows/${WORKFLOW}/runs/${TASK}/userProcessingResults/${TASK}` +
      `/taskProcessingResults/${RESULT}/microsoft.graph.identityGovernance.resume`;
    expect(problems(callout({ callbackUriPath: viaRun }))).toEqual([]);
  });

  it('names the field for what is missing or points our Graph token elsewhere', () => {
    expect(problems(callout({ subject: { displayName: 'x' } }))).toEqual([
      expect.objectContaining({ path: 'data.subject.id' }),
    ]);
    for (const path of [
      '/users/9a1b2c3d-0000-4000-8000-000000000001',
      `${RESUME}?x=1`,
      RESUME.replace('/tasks/', '/../tasks/'),
      RESUME.replace(RESULT, '11111111-1111-4111-8111-111111111111'),
      `https://evil.example${RESUME}`,
    ])
      expect(
        problems(callout({ callbackUriPath: path })).map((p) => p.path),
        path,
      ).toContain('data.callbackUriPath');
  });
});

describe('the policy section lifecycleWorkflows', () => {
  const base = `
version: t
tenant: { upnDomain: contoso.com }
upn: { pattern: '{given}.{family}' }
scimTargets:
  - { id: crm, name: CRM, baseUrl: 'https://crm.example/scim/v2' }
`;
  it('maps tasks by name, workflow or id; the first matching entry wins', () => {
    const policy = parsePolicy(`${base}
lifecycleWorkflows:
  tasks:
    - match: { taskId: ${TASK}, workflowDisplayName: Other }
      run: leaver
    - match: { taskDisplayName: grant SALES access }
      run: accessPackage
      accessPackage: { groups: [{ id: a0000000-0000-4000-8000-000000000004, name: Sales }], scimTargets: [crm] }
    - match: { workflowDisplayName: Onboarding }
      run: activation
`);
    expect(policy.lifecycleWorkflows?.callbackTimeout).toBe('PT1H');
    const task = { taskId: TASK, taskDisplayName: 'Grant sales access', workflowDisplayName: 'Onboarding' };
    expect(matchLcwTask(policy, task)).toMatchObject({ index: 1, rule: { run: 'accessPackage' } });
    expect(matchLcwTask(policy, { ...task, taskDisplayName: 'Welcome' })).toMatchObject({ index: 2 });
    expect(matchLcwTask(policy, { ...task, taskDisplayName: null, workflowDisplayName: null })).toEqual({
      problem: `no lifecycleWorkflows.tasks entry matches task "${TASK}" of workflow "unnamed"`,
    });
  });

  it('refuses a timeout outside PT5M..PT3H, an empty match, a package without groups, an unknown target', () => {
    const attempt = (section: string) => {
      try {
        parsePolicy(`${base}\nlifecycleWorkflows:\n${section}`);
        return [];
      } catch (error) {
        return (error as { problems: { path: string }[] }).problems.map((p) => p.path);
      }
    };
    expect(attempt('  callbackTimeout: PT4H')).toEqual(['lifecycleWorkflows.callbackTimeout']);
    expect(attempt('  callbackTimeout: PT4M')).toEqual(['lifecycleWorkflows.callbackTimeout']);
    expect(attempt('  tasks: [{ match: {}, run: leaver }]')).toEqual(['lifecycleWorkflows.tasks.0.match']);
    expect(attempt('  tasks: [{ match: { taskDisplayName: a }, run: accessPackage }]')).toEqual([
      'lifecycleWorkflows.tasks.0.accessPackage',
    ]);
    expect(
      attempt(
        '  tasks: [{ match: { taskDisplayName: a }, run: accessPackage, accessPackage: ' +
          '{ groups: [{ id: a0000000-0000-4000-8000-000000000004, name: Sales }], scimTargets: [erp] } }]',
      ),
    ).toEqual(['lifecycleWorkflows.tasks.0.accessPackage.scimTargets.0']);
  });

  it('leaves a margin before the callback timeout for the resume and its retries', () => {
    expect(durationMs('PT5M')).toBe(300_000);
    expect(durationMs('P0DT2H30M')).toBe(9_000_000);
    expect(durationMs('PT')).toBeNull();
    expect(durationMs('1h')).toBeNull();
    expect(workBudgetMs(durationMs('PT5M')!)).toBe(4 * 60_000);
    expect(workBudgetMs(durationMs('PT1H')!)).toBe(55 * 60_000);
    expect(workBudgetMs(durationMs('PT3H')!)).toBe(175 * 60_000);
  });
});
