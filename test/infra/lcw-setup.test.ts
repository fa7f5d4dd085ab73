import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CustomTaskExtensionInput, WorkflowInput } from '../../local/emulators/graph/lcw/lcw-schemas';
import { ROOT } from './bicep';

/**
 * scripts/lcw-setup.mjs --dry-run prints the two Graph requests a tenant admin's run would send, filled from the azd
 * outputs, and sends nothing; the bodies are ones the (Graph-strict) emulator accepts.
 */
const OUTPUTS = {
  LCW_LOGIC_APP_NAME: 'logic-jml-lcw-abc',
  LCW_LOGIC_APP_RESOURCE_GROUP: 'rg-jml-prod',
  LCW_LOGIC_APP_SUBSCRIPTION_ID: 'c500b67c-e9b7-4ad2-a90d-77d41385ae55',
  AZURE_MANAGED_IDENTITY_CLIENT_ID: '5a5a5a5a-1111-4222-8333-444455556666',
};

function run(args: string[], env: Record<string, string>) {
  // Only node on PATH: neither azd nor az can be reached, so nothing outside the script answers.
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'lcw-setup.mjs'), ...args], {
    encoding: 'utf8',
    env: { PATH: path.dirname(process.execPath), ...env },
  });
}

describe('scripts/lcw-setup.mjs', () => {
  it('--dry-run prints both requests with the deployment values and sends nothing', () => {
    const result = run(['--dry-run'], { ...OUTPUTS, LCW_SCOPE_RULE: "(department eq 'Sales')" });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [, extensionPart, workflowPart] = result.stdout.split(/^POST .*$/m);
    expect(result.stdout).toContain(
      'POST https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/customTaskExtensions',
    );
    expect(result.stdout).toContain(
      'POST https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows',
    );
    const extension = CustomTaskExtensionInput.parse(JSON.parse(extensionPart!));
    expect(extension.endpointConfiguration).toMatchObject({
      subscriptionId: OUTPUTS.LCW_LOGIC_APP_SUBSCRIPTION_ID,
      resourceGroupName: OUTPUTS.LCW_LOGIC_APP_RESOURCE_GROUP,
      logicAppWorkflowName: OUTPUTS.LCW_LOGIC_APP_NAME,
    });
    expect(extension.callbackConfiguration).toEqual({
      '@odata.type': '#microsoft.graph.identityGovernance.customTaskExtensionCallbackConfiguration',
      timeoutDuration: 'PT1H',
      authorizedApps: [{ appId: OUTPUTS.AZURE_MANAGED_IDENTITY_CLIENT_ID }],
    });
    const workflow = JSON.parse(workflowPart!) as { tasks: { arguments: { value: string }[] }[] };
    expect(workflow.tasks[0]!.arguments[0]!.value).toMatch(/id of the custom task extension/);
    workflow.tasks[0]!.arguments[0]!.value = '00000000-0000-4000-8000-000000000001';
    expect(WorkflowInput.parse(workflow)).toMatchObject({
      category: 'joiner',
      executionConditions: {
        scope: { rule: "(department eq 'Sales')" },
        trigger: { timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
      },
    });
  });

  it('stops naming what is missing when the deployment values are not there', () => {
    const result = run(['--dry-run'], { LCW_LOGIC_APP_NAME: 'logic-jml-lcw-abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /missing LCW_LOGIC_APP_RESOURCE_GROUP, LCW_LOGIC_APP_SUBSCRIPTION_ID, AZURE_MANAGED_IDENTITY_CLIENT_ID/,
    );
  });
});
