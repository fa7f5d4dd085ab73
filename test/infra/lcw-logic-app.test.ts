import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BicepFile, childNodes, descendantsOfType, literalString, property, properties, ROOT } from './bicep';

/**
 * The Logic App between Lifecycle Workflows and entra-jml: the trigger accepts only Lifecycle Workflows' tokens with
 * the documented authorization policies
 * (https://learn.microsoft.com/entra/id-governance/configure-logic-app-lifecycle-workflows),
 * SAS is off (https://learn.microsoft.com/entra/id-governance/custom-extension-security), and the one forward goes to
 * POST /api/lcw/tasks with a managed identity token whose caller and audience the Function App is told about.
 */
const LIFECYCLE_WORKFLOWS_APP_ID = 'ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7';

/** name → value of a Bicep array of `{ name: '...', value: ... }` claims (values as written). */
function claims(list: ReturnType<typeof property>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of childNodes(list!)) {
    const props = properties(item);
    out[literalString(props.get('name'))!] = props.get('value')!.text;
  }
  return out;
}

describe('Lifecycle Workflows Logic App (infra/modules/lifecycle-logic-app.bicep)', () => {
  const load = () => BicepFile.load('modules/lifecycle-logic-app.bicep');

  it('is a consumption Logic App with a system-assigned identity', async () => {
    const [logicApp] = (await load()).resourcesOfType('Microsoft.Logic/workflows');
    expect(logicApp).toBeDefined();
    expect(property(logicApp!.body, 'identity.type')?.text).toMatch(/SystemAssigned/);
    // Consumption: no integration service environment or Standard plan (kind 'stateful' lives on Microsoft.Web/sites).
    expect(property(logicApp!.body, 'properties.integrationServiceEnvironment')).toBeUndefined();
    expect(property(logicApp!.body, 'kind')).toBeUndefined();
  });

  it('trigger: SAS disabled and the PoP policy with iss, aud, appid (Lifecycle Workflows), m, u, p', async () => {
    const template = await load();
    const [logicApp] = template.resourcesOfType('Microsoft.Logic/workflows');
    const triggers = property(logicApp!.body, 'properties.accessControl.triggers');
    expect(property(triggers, 'sasAuthenticationPolicy.state')?.text).toBe("'Disabled'");
    expect(property(triggers, 'openAuthenticationPolicies.policies')?.text).toMatch(/popPolicy/);
    const pop = property(template.vars.get('popPolicy'), 'AzureADLifecycleWorkflowsAuthPOPAuthPolicy');
    expect(property(pop, 'type')?.text).toBe("'AADPOP'");
    expect(claims(property(pop, 'claims'))).toEqual({
      iss: "'https://sts.windows.net/${tenantId}/'",
      aud: "'https://management.azure.com'",
      appid: 'lifecycleWorkflowsAppId',
      m: "'POST'",
      u: "'management.azure.com'",
      p: 'workflowPath',
    });
    expect(literalString(template.vars.get('lifecycleWorkflowsAppId'))).toBe(LIFECYCLE_WORKFLOWS_APP_ID);
    expect(template.vars.get('workflowPath')?.text).toBe(
      "'${resourceGroup().id}/providers/Microsoft.Logic/workflows/${name}'",
    );
  });

  it('legacy "Normal" policies (AAD, v1 and v2 issuers) when the identity application id is given', async () => {
    const template = await load();
    const [logicApp] = template.resourcesOfType('Microsoft.Logic/workflows');
    expect(
      property(logicApp!.body, 'properties.accessControl.triggers.openAuthenticationPolicies.policies')?.text,
    ).toBe('empty(legacyTokenAudience) ? popPolicy : union(popPolicy, legacyPolicies)');
    const legacy = template.vars.get('legacyPolicies');
    const v1 = property(legacy, 'AzureADLifecycleWorkflowsAuthPolicy');
    const v2 = property(legacy, 'AzureADLifecycleWorkflowsAuthPolicyV2App');
    expect(property(v1, 'type')?.text).toBe("'AAD'");
    expect(claims(property(v1, 'claims'))).toEqual({
      iss: "'https://sts.windows.net/${tenantId}/'",
      aud: 'legacyTokenAudience',
      appid: 'lifecycleWorkflowsAppId',
    });
    expect(property(v2, 'type')?.text).toBe("'AAD'");
    expect(claims(property(v2, 'claims'))).toEqual({
      iss: "'https://login.microsoftonline.com/${tenantId}/v2.0'",
      aud: 'legacyTokenAudience',
      azp: 'lifecycleWorkflowsAppId',
    });
  });

  it('takes the documented callout schema; forwards once to /api/lcw/tasks with MSI; answers 202', async () => {
    const template = await load();
    const [logicApp] = template.resourcesOfType('Microsoft.Logic/workflows');
    const definition = property(logicApp!.body, 'properties.definition');
    const trigger = property(definition, 'triggers.manual');
    expect(property(trigger, 'type')?.text).toBe("'Request'");
    expect(property(trigger, 'inputs.schema')?.text).toBe("loadJsonContent('../lcw/callout-trigger-schema.json')");
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'infra/lcw/callout-trigger-schema.json'), 'utf8')) as {
      properties: { data: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(schema.properties.data.properties).sort()).toEqual(
      ['callbackUriPath', 'subject', 'task', 'taskProcessingResult', 'workflow'].sort(),
    );

    const actions = properties(property(definition, 'actions'));
    const http = [...actions.values()].filter((a) => property(a, 'type')?.text === "'Http'");
    expect(http, 'exactly one HTTP action').toHaveLength(1);
    const forward = http[0]!;
    expect(property(forward, 'inputs.method')?.text).toBe("'POST'");
    expect(property(forward, 'inputs.uri')?.text).toBe("'https://${functionHost}/api/lcw/tasks'");
    expect(property(forward, 'inputs.body')?.text).toBe("'@triggerBody()'");
    expect(property(forward, 'inputs.authentication.type')?.text).toBe("'ManagedServiceIdentity'");
    expect(property(forward, 'inputs.authentication.audience')?.text).toBe('calleeApp.appId');
    const response = [...actions.values()].find((a) => property(a, 'type')?.text === "'Response'");
    expect(property(response, 'inputs.statusCode')?.text).toBe('202');
  });

  it('outputs the caller and audience the Function App validates (LCW_CALLER_APP_IDS, LCW_AUDIENCE)', async () => {
    const template = await load();
    const [identity] = template.resourcesOfType('Microsoft.ManagedIdentity/userAssignedIdentities');
    expect(
      property(
        template.resourcesOfType('Microsoft.Logic/workflows')[0]!.body,
        'properties.definition.actions.Forward_to_entra_jml.inputs.authentication.identity',
      )?.text,
    ).toBe(`${identity!.symbol}.id`);
    expect(template.outputs.get('callerAppId')?.text).toBe(`${identity!.symbol}.properties.clientId`);
    expect(template.outputs.get('audience')?.text).toBe('calleeApp.appId');
    // Only the forwarding identity can get a token for that audience.
    const [servicePrincipal] = template.resourcesOfType('Microsoft.Graph/servicePrincipals');
    expect(property(servicePrincipal!.body, 'appRoleAssignmentRequired')?.text).toBe('true');
    const [assignment] = template.resourcesOfType('Microsoft.Graph/appRoleAssignedTo');
    expect(property(assignment!.body, 'principalId')?.text).toBe(`${identity!.symbol}.properties.principalId`);
  });

  it('main.bicep deploys it unless turned off and gives the Function App its two settings', async () => {
    const main = await BicepFile.load('main.bicep');
    expect(main.params.get('enableLifecycleLogicApp')?.defaultValue?.text).toBe('true');
    const module = main.modules.find((m) => m.path === 'modules/lifecycle-logic-app.bicep');
    expect(module?.condition?.text).toMatch(/enableLifecycleLogicApp/);
    expect(module?.params.get('functionHost')?.text).toBe("'func-jml-${token}.azurewebsites.net'");
    const functionApp = main.modules.find((m) => m.path === 'modules/function-app.bicep')!;
    expect(functionApp.params.get('lcwCallerAppIds')?.text).toMatch(/lifecycleLogicApp\.outputs\.callerAppId/);
    expect(functionApp.params.get('lcwAudience')?.text).toMatch(/lifecycleLogicApp\.outputs\.audience/);
    // The function app's own name is the host the Logic App forwards to.
    expect(functionApp.params.get('name')?.text).toBe("'func-jml-${token}'");

    const settings = (await BicepFile.load('modules/function-app.bicep')).vars.get('appSettings')!;
    const keys = descendantsOfType(settings, 'object_property').map((p) => childNodes(p)[0]!.text);
    expect(keys).toEqual(expect.arrayContaining(['LCW_CALLER_APP_IDS', 'LCW_AUDIENCE']));
  });
});
