import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InboundTokenSection } from '../../shared/config/sections/intake';
import { AuditSection } from '../../shared/config/sections/audit';
import { BicepFile, bicepFiles, descendantsOfType, literalString, property, ROOT, type BicepResource } from './bicep';
import { evaluate } from './evaluate';

/** What infra/ deploys is keyless and least-privilege, and its secrets and identities resolve. */

// Built-in role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
const ROLE = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
};

const load = (file: string) => BicepFile.load(file);
const text = (resource: BicepResource, dotted: string) => property(resource.body, dotted)?.text;

interface RoleAssignment {
  file: string;
  resource: BicepResource;
  scope: BicepResource;
  roleIds: string[];
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * The role ids an assignment can grant: its roleDefinitionId is subscriptionResourceId(..., X) where X is a variable
 * holding one id, or `<item>.value` of a loop over items(<variable holding an object of ids>).
 */
function roleIdsOf(template: BicepFile, resource: BicepResource): string[] {
  const definition = property(resource.body, 'properties.roleDefinitionId')?.text ?? '';
  const argument = /,\s*([\w.]+)\)$/.exec(definition)?.[1] ?? '';
  const loopSource = /in items\((\w+)\)/.exec(resource.loop?.text ?? '')?.[1];
  const variable = argument.endsWith('.value') && loopSource ? loopSource : argument;
  return [...(template.vars.get(variable)?.text ?? '').matchAll(GUID)].map((match) => match[0]);
}

const sameResource = (a: { file: string; symbol: string }, b: { file: string; symbol: string }) =>
  a.file === b.file && a.symbol === b.symbol;

/** Every role assignment with the resource it is scoped to and the role id(s) it can grant. */
async function roleAssignments(): Promise<RoleAssignment[]> {
  const found: RoleAssignment[] = [];
  for (const file of bicepFiles()) {
    const template = await BicepFile.load(file);
    for (const resource of template.resourcesOfType('Microsoft.Authorization/roleAssignments')) {
      const scope = property(resource.body, 'scope');
      const scoped = template.resources.find((candidate) => candidate.symbol === scope?.text);
      const roleIds = roleIdsOf(template, resource);
      expect(
        scoped,
        `${path.basename(file)} ${resource.symbol}: scope must name a resource of this file`,
      ).toBeDefined();
      found.push({ file: path.basename(file), resource, scope: scoped!, roleIds });
    }
  }
  return found;
}

describe('keyless and encrypted in transit', () => {
  it('storage: shared keys off, TLS 1.2, no public blobs, HTTPS only', async () => {
    const [account] = (await load('modules/storage.bicep')).resourcesOfType('Microsoft.Storage/storageAccounts');
    expect(text(account!, 'properties.allowSharedKeyAccess')).toBe('false');
    expect(text(account!, 'properties.minimumTlsVersion')).toBe("'TLS1_2'");
    expect(text(account!, 'properties.allowBlobPublicAccess')).toBe('false');
    expect(text(account!, 'properties.supportsHttpsTrafficOnly')).toBe('true');
  });

  it('Service Bus: local (SAS) auth off, TLS 1.2; the queue has sessions and duplicate detection', async () => {
    const serviceBus = await load('modules/service-bus.bicep');
    const [namespace] = serviceBus.resourcesOfType('Microsoft.ServiceBus/namespaces');
    expect(text(namespace!, 'properties.disableLocalAuth')).toBe('true');
    expect(text(namespace!, 'properties.minimumTlsVersion')).toBe("'1.2'");
    const queues = serviceBus.resourcesOfType('Microsoft.ServiceBus/namespaces/queues');
    for (const queue of queues) {
      expect(text(queue, 'properties.requiresSession')).toBe('true');
      expect(text(queue, 'properties.requiresDuplicateDetection')).toBe('true');
    }
    expect(queues.map((queue) => text(queue, 'name'))).toEqual(["'hr-events'", "'hr-events-urgent'"]);
  });

  it('Application Insights: local auth off, the identity may publish (Monitoring Metrics Publisher)', async () => {
    const monitoring = await load('modules/monitoring.bicep');
    const [component] = monitoring.resourcesOfType('Microsoft.Insights/components');
    expect(text(component!, 'properties.DisableLocalAuth')).toBe('true');
    const publisher = (await roleAssignments()).find(
      (assignment) =>
        assignment.roleIds.includes(ROLE.monitoringMetricsPublisher) &&
        sameResource(
          { file: assignment.file, symbol: assignment.scope.symbol },
          { file: 'monitoring.bicep', symbol: component!.symbol },
        ),
    );
    expect(publisher, 'Monitoring Metrics Publisher scoped to the component').toBeDefined();
    expect(publisher!.resource.condition).toBeUndefined();
    const settings = (await load('modules/function-app.bicep')).vars.get('appSettings')!.text;
    expect(settings).toMatch(
      /APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=\$\{identityClientId\};Authorization=AAD'/,
    );
  });

  it('Function App: HTTPS only, TLS 1.2, Node 22, no basic publishing credentials', async () => {
    const functionApp = await load('modules/function-app.bicep');
    const [site] = functionApp.resourcesOfType('Microsoft.Web/sites');
    expect(text(site!, 'properties.httpsOnly')).toBe('true');
    expect(text(site!, 'properties.siteConfig.minTlsVersion')).toBe("'1.2'");
    expect(text(site!, 'properties.functionAppConfig.runtime.version')).toBe("'22'");
    const policies = functionApp.resourcesOfType('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(policies.map((policy) => literalString(property(policy.body, 'name'))).sort()).toEqual(['ftp', 'scm']);
    for (const policy of policies) expect(text(policy, 'properties.allow')).toBe('false');
  });

  it('azd-service-name tags the site only (azd refuses two resources with it)', async () => {
    const tagged: string[] = [];
    for (const file of bicepFiles()) {
      const template = await BicepFile.load(file);
      for (const resource of template.resources) {
        const tags = property(resource.body, 'tags')?.text ?? '';
        if (tags.includes('azd-service-name')) tagged.push(resource.type);
      }
      for (const module of template.modules)
        expect(module.params.get('tags')?.text ?? '', `${module.symbol} tags`).not.toContain('azd-service-name');
    }
    expect(tagged).toEqual(['Microsoft.Web/sites']);
  });
});

describe('least privilege', () => {
  it('every role assignment is scoped to a resource and grants no owner/contributor role', async () => {
    const assignments = await roleAssignments();
    expect(assignments.length).toBeGreaterThanOrEqual(5);
    for (const assignment of assignments) {
      expect(assignment.roleIds.length, `${assignment.file} ${assignment.resource.symbol}`).toBeGreaterThan(0);
      for (const denied of [ROLE.owner, ROLE.contributor, ROLE.userAccessAdministrator])
        expect(assignment.roleIds, `${assignment.file} ${assignment.resource.symbol}`).not.toContain(denied);
      // Data Owner on the namespace would let the app create, change and delete every entity in it.
      if (assignment.scope.type !== 'Microsoft.ServiceBus/namespaces/queues')
        expect(assignment.roleIds, `${assignment.file} ${assignment.resource.symbol}`).not.toContain(
          ROLE.serviceBusDataOwner,
        );
    }
  });

  it('Service Bus: Data Owner on the queue (send, receive, read its backlog), nothing on the namespace', async () => {
    // bulkUpload's back-pressure reads the queue's activeMessageCount, a management call that Data Receiver and
    // Data Sender do not allow; without it every request is admitted with "queue backlog unknown".
    // https://learn.microsoft.com/azure/service-bus-messaging/service-bus-role-based-access-control
    const backlogReader = readFileSync(
      path.join(ROOT, 'shared', 'adapters', 'queue-backlog', 'service-bus-queue-backlog.ts'),
      'utf8',
    );
    expect(backlogReader).toContain('getQueueRuntimeProperties');
    const serviceBus = (await roleAssignments()).filter((assignment) => assignment.file === 'service-bus.bicep');
    // One per queue: the bulk queue and the urgent one.
    expect(serviceBus.map((assignment) => assignment.scope.type)).toEqual([
      'Microsoft.ServiceBus/namespaces/queues',
      'Microsoft.ServiceBus/namespaces/queues',
    ]);
    expect(serviceBus.flatMap((assignment) => assignment.roleIds)).toEqual([
      ROLE.serviceBusDataOwner,
      ROLE.serviceBusDataOwner,
    ]);
    for (const assignment of serviceBus) expect(assignment.resource.condition).toBeUndefined();
  });
});

describe('secrets resolve', () => {
  it('every Key Vault reference in the app settings points at a secret created on every deployment', async () => {
    const functionApp = await load('modules/function-app.bicep');
    const main = await load('main.bicep');
    const references = descendantsOfType(functionApp.vars.get('appSettings')!, 'string').filter((node) =>
      node.text.startsWith("'@Microsoft.KeyVault("),
    );
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      const uriParam = /SecretUri=\$\{(\w+)\}/.exec(reference.text)?.[1];
      expect(uriParam, reference.text).toBeDefined();
      // main.bicep gives the module that parameter from another module's output ...
      const given = main.modules.find((module) => module.path === 'modules/function-app.bicep')!.params.get(uriParam!);
      const [, moduleSymbol, output] = /^(\w+)\.outputs\.(\w+)$/.exec(given?.text ?? '') ?? [];
      const source = main.modules.find((module) => module.symbol === moduleSymbol);
      expect(source, `${uriParam} comes from a module output`).toBeDefined();
      expect(source!.condition).toBeUndefined();
      // ... which names an unconditional secret resource of that module.
      const vault = await load(source!.path);
      const secretSymbol = /secrets\/\$\{(\w+)\.name\}/.exec(vault.outputs.get(output!)?.text ?? '')?.[1];
      const secret = vault.resource(secretSymbol ?? '(none)');
      expect(secret.type).toBe('Microsoft.KeyVault/vaults/secrets');
      expect(secret.condition, 'the secret must not be conditional').toBeUndefined();
      expect(secret.loop).toBeUndefined();
      expect(text(secret, 'properties.value')).toBeDefined();
    }
  });

  // Each Key Vault secret main.bicep writes: the key given (azd env), the one stored (read back by azd), or a
  // generated 64-character key, so a redeployment keeps it and the first deployment has one.
  const SECRETS = [
    {
      what: 'webhook keys',
      moduleParam: 'hrWebhookSecretsValue',
      given: 'hrWebhookSecretsValue',
      stored: 'existingHrWebhookSecrets',
      generated: 'generatedHrWebhookKey',
      secretNameVar: 'hrWebhookSecretName',
      secretName: 'hr-webhook-secrets',
    },
    {
      what: 'activation HMAC key',
      moduleParam: 'activationHmacKeyValue',
      given: 'activationHmacKeyValue',
      stored: 'existingActivationHmacKey',
      generated: 'generatedActivationHmacKey',
      secretNameVar: 'activationHmacKeyName',
      secretName: 'activation-hmac-key',
    },
  ];

  it.each(SECRETS)('the $what secret always has a value: given, stored, or generated', async (secret) => {
    const main = await load('main.bicep');
    const value = main.modules
      .find((module) => module.path === 'modules/key-vault.bicep')!
      .params.get(secret.moduleParam)!;
    const choice = main.vars.get(value.text)!;
    expect(choice, `${secret.moduleParam} is given a variable of main.bicep`).toBeDefined();
    const generatedKey = 'g'.repeat(64);
    const chosen = (given: Record<string, string>) =>
      evaluate(choice, main.params, {
        [secret.given]: '',
        [secret.stored]: '',
        [secret.generated]: generatedKey,
        ...given,
      });
    const given = 'k'.repeat(40);
    const stored = 's'.repeat(40);
    expect(chosen({ [secret.given]: given, [secret.stored]: stored })).toBe(given);
    expect(chosen({ [secret.stored]: stored })).toBe(stored);
    // azd's secretOrRandomPassword yields 15 random characters when the vault has no secret yet.
    expect(chosen({ [secret.stored]: 'Ab1Ab1Ab1Ab1Ab1' })).toBe(generatedKey);
    expect(chosen({})).toBe(generatedKey);
    for (const param of [secret.given, secret.stored, secret.generated]) {
      // The decorators between the previous declaration and this one.
      const before = main.source.slice(0, main.source.search(new RegExp(`^param ${param} `, 'm')));
      expect(before.slice(before.lastIndexOf('\nparam ')).split('\n').slice(1).join('\n'), param).toContain(
        '@secure()',
      );
    }
    const generated = main.params.get(secret.generated)!.defaultValue!.text;
    expect(generated.match(/replace\(newGuid\(\), '-', ''\)/g)).toHaveLength(2); // 2 × 32 hex characters
    const parameters = JSON.parse(readFileSync(path.join(ROOT, 'infra', 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: string }>;
    };
    expect(parameters.parameters[secret.stored]?.value).toBe(
      `$(secretOrRandomPassword \${AZURE_KEY_VAULT_NAME=} ${secret.secretName})`,
    );
    const keyVault = await load('modules/key-vault.bicep');
    expect(keyVault.vars.get(secret.secretNameVar)?.text).toBe(`'${secret.secretName}'`);
    expect(main.outputs.get('AZURE_KEY_VAULT_NAME')?.text).toBe('keyVault.outputs.name');
  });

  it('the webhook keys can be read back with a command the deployment prints', async () => {
    const main = await load('main.bicep');
    expect(main.outputs.get('HR_WEBHOOK_KEYS_READ_COMMAND')?.text).toContain('az keyvault secret show');
  });

  it('the app identity reads the vault (Secrets User, on the vault); the vault can be recreated', async () => {
    const keyVault = await load('modules/key-vault.bicep');
    const [vault] = keyVault.resourcesOfType('Microsoft.KeyVault/vaults');
    expect(text(vault!, 'properties.enableRbacAuthorization')).toBe('true');
    const user = (await roleAssignments()).find((assignment) => assignment.roleIds.includes(ROLE.keyVaultSecretsUser));
    expect(user && { file: user.file, symbol: user.scope.symbol }).toEqual({
      file: 'key-vault.bicep',
      symbol: vault!.symbol,
    });
    expect(user?.resource.condition).toBeUndefined();
    // Purge protection on by default would block `azd down && azd up` for the retention period.
    const purge = property(vault!.body, 'properties.enablePurgeProtection')!;
    expect(purge.type).toBe('ternary_expression');
    const main = await load('main.bicep');
    expect(evaluate(main.params.get('enablePurgeProtection')!.defaultValue!, main.params)).toBe(false);
    expect(main.modules.find((module) => module.symbol === 'keyVault')!.params.get('name')?.text).toContain('${token}');
    expect(main.vars.get('token')?.text).toContain('environmentName');
  });
});

describe('what the app expects exists', () => {
  it('every table the app opens is created', async () => {
    const storage = await load('modules/storage.bicep');
    const created = storage
      .resourcesOfType('Microsoft.Storage/storageAccounts/tableServices/tables')
      .map((table) => literalString(property(table.body, 'name')));
    const opened = new Set<string>([AuditSection.shape.AUDIT_TABLE_NAME.parse(undefined)]);
    const appFiles = ['shared', 'functions'].flatMap((dir) =>
      readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
        .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8')),
    );
    for (const source of appFiles)
      for (const [, table] of source.matchAll(/new TableClient\([^,]+,\s*'([A-Za-z0-9]+)'/g)) opened.add(table!);
    // audit, deletion guard, person inbox, activations, bulkUpload requests
    expect([...opened]).toEqual(expect.arrayContaining(['jmlactivation', 'jmlbulkrequests']));
    expect(created).toEqual(expect.arrayContaining([...opened]));
  });

  it('bulkUpload: an app registration with the role the app requires, v2 tokens, assignment required', async () => {
    const inbound = await load('modules/inbound-api-app.bicep');
    const main = await load('main.bicep');
    const [application] = inbound.resourcesOfType('Microsoft.Graph/applications');
    expect(text(application!, 'api.requestedAccessTokenVersion')).toBe('2');
    expect(text(application!, 'signInAudience')).toBe("'AzureADMyOrg'");
    const role = application!.body.text;
    expect(role).toMatch(/allowedMemberTypes: \['Application'\]/);
    expect(role).toMatch(/value: roleValue/);
    expect(main.vars.get('bulkUploadRole')?.text).toBe(
      `'${InboundTokenSection.shape.INBOUND_REQUIRED_ROLE.parse(undefined)}'`,
    );
    const [servicePrincipal] = inbound.resourcesOfType('Microsoft.Graph/servicePrincipals');
    expect(text(servicePrincipal!, 'appRoleAssignmentRequired')).toBe('true');
    expect(inbound.outputs.get('audience')?.text).toBe(`${application!.symbol}.appId`);
    const functionAppParams = main.modules.find((module) => module.path === 'modules/function-app.bicep')!.params;
    expect(functionAppParams.get('inboundTokenAudience')?.text).toBe('inboundApi.outputs.audience');
    expect(functionAppParams.get('inboundRequiredRole')?.text).toBe('inboundApi.outputs.roleValue');
    expect(main.outputs.get('BULK_UPLOAD_AUDIENCE')?.text).toBe('inboundApi.outputs.audience');
  });
});
