import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requiredGraphPermissions } from '../../shared/adapters/graph/permissions';
import {
  GENERATED_FILE,
  graphPermissionsDocument,
  OPTIONAL_GRAPH_FEATURES,
  type GraphPermissionsDocument,
} from '../../scripts/generate-graph-roles.mjs';
import { BicepFile, properties, property, ROOT } from './bicep';
import { evaluate } from './evaluate';

/**
 * The Graph application permissions infra grants to the Function App's identity are the one list in
 * shared/adapters/graph/permissions.ts: generated from it, and granted for the features the app has and uses.
 */
const generated = JSON.parse(readFileSync(GENERATED_FILE, 'utf8')) as GraphPermissionsDocument;
const allPermissions = requiredGraphPermissions.map((entry) => entry.permission);

async function grantedRoles(given: Record<string, string | boolean>): Promise<string[]> {
  const main = await BicepFile.load('main.bicep');
  const switches = properties(main.vars.get('graphFeatureOn'));
  return generated.appRoles
    .filter((role) => {
      const expression = switches.get(role.feature);
      if (!expression) throw new Error(`main.bicep graphFeatureOn has no switch for feature ${role.feature}`);
      return evaluate(expression, main.params, given) === true;
    })
    .map((role) => role.permission);
}

/** Directory port methods the app calls outside the port and its Graph adapter. */
function directoryMethodsCalled(): Set<string> {
  const files = ['functions', 'shared'].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => !file.includes(`${path.sep}adapters${path.sep}graph${path.sep}`))
      .filter((file) => !file.endsWith(path.join('ports', 'directory.ts'))),
  );
  const methods = Object.values(OPTIONAL_GRAPH_FEATURES).flatMap((feature) => feature.directoryMethods);
  const called = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const method of methods) if (new RegExp(`\\.${method}\\(`).test(text)) called.add(method);
  }
  return called;
}

const withSender = { mailSender: 'hr-noreply@contoso.example' };

describe('Graph app roles', () => {
  // Regenerate: npm run infra:roles (npm run build && node scripts/generate-graph-roles.mjs)
  it('infra/generated/graph-permissions.json is current', () => {
    expect(generated).toEqual(graphPermissionsDocument(requiredGraphPermissions));
  });

  it('npm run infra:roles regenerates it', () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['infra:roles']).toBe('npm run build && node scripts/generate-graph-roles.mjs');
  });

  it('every optional feature names permissions that are in the list', () => {
    for (const [feature, spec] of Object.entries(OPTIONAL_GRAPH_FEATURES))
      for (const permission of spec.permissions) expect(allPermissions, feature).toContain(permission);
  });

  it('main.bicep has one switch per feature, no more', async () => {
    const main = await BicepFile.load('main.bicep');
    const switches = [...properties(main.vars.get('graphFeatureOn')).keys()].sort();
    expect(switches).toEqual(['core', ...Object.keys(OPTIONAL_GRAPH_FEATURES)].sort());
  });

  it('with every feature on, the roles granted are exactly the permissions list', async () => {
    const everything = {
      ...withSender,
      mailSendGrant: 'entra',
      enableActivation: true,
      enableDirectLicences: true,
      enableLicenceReports: true,
      enableLifecycleWorkflows: true,
    };
    expect(await grantedRoles(everything)).toEqual(allPermissions);
  });

  it('a feature the app calls is granted by default; one it never calls is not asked for', async () => {
    const called = directoryMethodsCalled();
    const granted = await grantedRoles(withSender);
    for (const [feature, spec] of Object.entries(OPTIONAL_GRAPH_FEATURES)) {
      const used = spec.directoryMethods.some((method) => called.has(method));
      for (const permission of spec.permissions) {
        expect({ feature, permission, granted: granted.includes(permission) }).toEqual({
          feature,
          permission,
          granted: used,
        });
      }
    }
    const core = generated.appRoles.filter((role) => role.feature === 'core').map((role) => role.permission);
    expect(granted).toEqual(expect.arrayContaining(core));
  });

  it('activation: TAP issue and TAP policy read are granted by default, and only together', async () => {
    const tap = ['UserAuthenticationMethod.ReadWrite.All', 'Policy.Read.AuthenticationMethod'];
    expect(await grantedRoles({})).toEqual(expect.arrayContaining(tap));
    const off = await grantedRoles({ enableActivation: false });
    expect(off.filter((permission) => tap.includes(permission))).toEqual([]);
    // Every Directory port method about Temporary Access Passes is the activation feature's.
    const port = readFileSync(path.join(ROOT, 'shared', 'ports', 'directory.ts'), 'utf8');
    const tapMethods = [...port.matchAll(/^\s+(\w*TemporaryAccessPass\w*)\(/gm)].map((match) => match[1]);
    expect(tapMethods.length).toBeGreaterThanOrEqual(3);
    expect([...OPTIONAL_GRAPH_FEATURES.activation!.directoryMethods].sort()).toEqual(tapMethods.sort());
    const parameters = JSON.parse(readFileSync(path.join(ROOT, 'infra', 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: string }>;
    };
    expect(parameters.parameters.enableActivation?.value).toBe('${ENABLE_ACTIVATION=true}');
  });

  it('Mail.Send only with a sender, and not when Exchange RBAC for Applications scopes it', async () => {
    expect(await grantedRoles({})).not.toContain('Mail.Send');
    expect(await grantedRoles(withSender)).toContain('Mail.Send');
    expect(await grantedRoles({ ...withSender, mailSendGrant: 'exchangeRbac' })).not.toContain('Mail.Send');
  });

  it('main.bicep grants the filtered list to the managed identity through the Graph module', async () => {
    const main = await BicepFile.load('main.bicep');
    expect(main.source).toContain("loadJsonContent('generated/graph-permissions.json')");
    const module = main.modules.find((candidate) => candidate.path === 'modules/graph-permissions.bicep');
    expect(module?.condition).toBeUndefined();
    expect(module?.params.get('appRoles')?.text).toBe('grantedGraphRoles');
    expect(module?.params.get('principalId')?.text).toBe('identity.outputs.principalId');
  });

  it('the Graph module assigns each role of Microsoft Graph to that principal', async () => {
    const graph = await BicepFile.load('modules/graph-permissions.bicep');
    expect(graph.source).toMatch(/^extension microsoftGraphV1$/m);
    const [microsoftGraph] = graph.resourcesOfType('Microsoft.Graph/servicePrincipals');
    expect(microsoftGraph?.existing).toBe(true);
    expect(graph.vars.get('microsoftGraphAppId')?.text).toBe("'00000003-0000-0000-c000-000000000000'");
    const [grants] = graph.resourcesOfType('Microsoft.Graph/appRoleAssignedTo');
    expect(grants?.loop?.text).toMatch(/for appRole in appRoles/);
    expect(property(grants!.body, 'principalId')?.text).toBe('principalId');
    expect(property(grants!.body, 'resourceId')?.text).toBe(`${microsoftGraph!.symbol}.id`);
    expect(property(grants!.body, 'appRoleId')?.text).toMatch(/role\.value == appRole/);
    expect(property(grants!.body, 'appRoleId')?.text).toMatch(/'Application'/);
  });
});
