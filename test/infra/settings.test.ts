import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../shared/config/config';
import { BicepFile, childNodes, descendantsOfType, literalString, ROOT } from './bicep';

/**
 * The app settings infra/ gives the Function App match what the app reads: every setting of the zod config
 * sections, every trigger `connection`, every `%SETTING%` in triggers and host.json is set in Azure (or is listed
 * below with why it is not), and every setting infra sets is read by the app or by the platform.
 */

/** Settings the app reads that infra deliberately leaves unset in Azure, and why. */
const NOT_SET_IN_AZURE: Record<string, string> = {
  ENTRA_JML_DATA_DIR: 'only the SQLite stores use it; in Azure every store is Table Storage (AUDIT_TABLE_ENDPOINT)',
  ENTRA_JML_LOG_LEVEL: 'default info',
  ENTRA_JML_POLICY_FILE: 'default policy/policy.yaml, shipped in the package',
  ENTRA_JML_LOCAL_HOST_BIND: 'set by the local host only; its absence is how the app knows it is not on a dev machine',
  GRAPH_BASE_URL: 'derived: https://graph.microsoft.com once AZURE_TENANT_ID is set',
  AZURE_AUTHORITY_HOST:
    'derived: https://login.microsoftonline.com; set only for a national cloud (with GRAPH_BASE_URL)',
  AZURE_CLIENT_SECRET: 'keyless: Graph is reached with the managed identity (GRAPH_USE_MANAGED_IDENTITY)',
  AZURE_CLIENT_CERTIFICATE_PATH: 'keyless: Graph is reached with the managed identity (GRAPH_USE_MANAGED_IDENTITY)',
  GRAPH_MAX_CONCURRENCY: 'default 8 per instance',
  GRAPH_MEMBERSHIP_BATCH_WINDOW_MS: 'default 500 ms',
  GRAPH_REQUEST_TIMEOUT_MS: 'default 100 s per Graph request, as Microsoft SDKs',
  MAIL_SENDER: 'set only when the mailSender parameter is (the preflight hook requires it when the policy mails)',
  WEBSITE_HOSTNAME: 'set by the platform',
  WEBSITE_INSTANCE_ID: 'set by the platform',
  HR_WEBHOOK_MAX_BYTES: 'default 1 MB',
  INBOUND_JWKS_URL: 'derived from AZURE_TENANT_ID (login.microsoftonline.com/{tenant}/discovery/v2.0/keys)',
  INBOUND_TOKEN_ISSUER: 'derived from AZURE_TENANT_ID (login.microsoftonline.com/{tenant}/v2.0, v2 tokens)',
  BULK_UPLOAD_MAPPING_FILE: 'optional attribute mapping; the built-in mapping applies',
  BULK_UPLOAD_MAX_REQUESTS_PER_SECOND: 'default 40 per calling app, the limit of the Graph bulkUpload it stands for',
  BULK_UPLOAD_MAX_QUEUE_BACKLOG: 'default 20 000 waiting messages (the identity may read the backlog: Data Owner)',
  BULK_UPLOAD_RETRY_AFTER_SECONDS: 'default 30 s',
  ACTIVATION_IP_LIMIT: 'default 30 page requests per client IP per 15 minutes',
  ACTIVATION_PERSON_LIMIT: 'default 20 page requests per activation per hour',
  ACTIVATION_RESEND_LIMIT: 'default 5 new codes per person per day',
  LICENCE_REPORT_SCHEDULE: 'default 0 0 6 * * * (the licence report at 06:00 UTC every day)',
  LICENCE_USAGE_CSV_FILE: 'optional app usage export; without it idle app seats are judged on sign-ins',
  ServiceBusConnection: 'keyless: the namespace has local (SAS) auth off; ServiceBusConnection__* is used',
};

/** Settings the Functions host, its extensions or the platform read (not the app's config). */
const PLATFORM_SETTING = /^(FUNCTIONS_|AzureWebJobs|APPLICATIONINSIGHTS_|WEBSITE_)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function percentSettings(text: string): string[] {
  return [...text.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)].map((match) => match[1]!);
}

const functionSources = sourceFiles('functions').map((file) => readFileSync(file, 'utf8'));
const hostJson = readFileSync(path.join(ROOT, 'host.json'), 'utf8');
const configSettings = Object.keys(ConfigSchema.shape);
const percentInTriggers = [...new Set(functionSources.flatMap(percentSettings))];
const percentInHostJson = percentSettings(hostJson);
const triggerConnections = [
  ...new Set(functionSources.flatMap((text) => [...text.matchAll(/\bconnection:\s*'([^']+)'/g)].map((m) => m[1]!))),
];

/** The keys (and literal values) of every object literal in function-app.bicep's `appSettings`. */
async function infraAppSettings(): Promise<Map<string, string | undefined>> {
  const functionApp = await BicepFile.load('modules/function-app.bicep');
  const expression = functionApp.vars.get('appSettings');
  expect(expression, 'function-app.bicep declares var appSettings').toBeDefined();
  const settings = new Map<string, string | undefined>();
  for (const property of descendantsOfType(expression!, 'object_property')) {
    const [key, value] = childNodes(property);
    settings.set(literalString(key) ?? key!.text, literalString(value));
  }
  // The site must take its settings from that variable, not from a second list.
  const site = functionApp.resourcesOfType('Microsoft.Web/sites')[0]!;
  expect(site.body.text).toMatch(/appSettings:\s*map\(items\(appSettings\)/);
  return settings;
}

describe('app settings in Azure', () => {
  it('finds what the app reads', () => {
    expect(configSettings).toContain('HR_WEBHOOK_SECRETS');
    expect(percentInTriggers).toContain('HR_EVENTS_QUEUE');
    expect(percentInHostJson).toContain('ENTRA_JML_TASK_HUB');
    expect(triggerConnections).toContain('ServiceBusConnection');
  });

  it('every config setting is set by infra/ or listed as deliberately unset, never both', async () => {
    const infra = await infraAppSettings();
    const unaccounted = configSettings.filter((setting) => !infra.has(setting) && !(setting in NOT_SET_IN_AZURE));
    expect(unaccounted, 'set these in infra/modules/function-app.bicep or list them with a reason').toEqual([]);
    const both = Object.keys(NOT_SET_IN_AZURE).filter((setting) => infra.has(setting) && setting !== 'MAIL_SENDER');
    expect(both).toEqual([]);
    const stale = Object.keys(NOT_SET_IN_AZURE).filter((setting) => !configSettings.includes(setting));
    expect(stale, 'listed as unset but no longer read by the app').toEqual([]);
  });

  it('every %SETTING% in triggers and host.json is set', async () => {
    const infra = await infraAppSettings();
    const missing = [...percentInTriggers, ...percentInHostJson].filter((setting) => !infra.has(setting));
    expect(missing).toEqual([]);
  });

  it('every trigger connection is identity-based (namespace, managed identity, client id), no secret', async () => {
    const infra = await infraAppSettings();
    for (const connection of triggerConnections) {
      expect(infra.has(`${connection}__fullyQualifiedNamespace`), connection).toBe(true);
      expect(infra.get(`${connection}__credential`), connection).toBe('managedidentity');
      expect(infra.has(`${connection}__clientId`), connection).toBe(true);
      expect(infra.has(connection), `${connection} would be a connection string`).toBe(false);
    }
    expect(infra.get('AzureWebJobsStorage__credential')).toBe('managedidentity');
    expect(infra.has('AzureWebJobsStorage__accountName')).toBe(true);
    expect(infra.has('AzureWebJobsStorage')).toBe(false);
  });

  it('every setting infra sets is read by the app, a trigger, host.json or the platform', async () => {
    const infra = await infraAppSettings();
    const read = new Set([...configSettings, ...percentInTriggers, ...percentInHostJson]);
    const unread = [...infra.keys()].filter(
      (setting) =>
        !read.has(setting) &&
        !PLATFORM_SETTING.test(setting) &&
        !triggerConnections.some((connection) => setting.startsWith(`${connection}__`)),
    );
    expect(unread).toEqual([]);
  });

  it('no setting Flex Consumption rejects (runtime and content settings live in functionAppConfig)', async () => {
    // https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations
    const infra = await infraAppSettings();
    const deprecatedOnFlex = [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'WEBSITE_CONTENTSHARE',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
      'ENABLE_ORYX_BUILD',
    ];
    expect(deprecatedOnFlex.filter((setting) => infra.has(setting))).toEqual([]);
  });

  it('literal values infra sets are accepted by the app config', async () => {
    const infra = await infraAppSettings();
    const shape = ConfigSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
    for (const [setting, value] of infra) {
      if (value === undefined || !shape[setting]) continue;
      expect(shape[setting].safeParse(value).success, `${setting}=${value}`).toBe(true);
    }
    expect(infra.get('GRAPH_USE_MANAGED_IDENTITY')).toBe('true');
  });

  it('secrets come from Key Vault references, never a literal or a parameter', async () => {
    const functionApp = await BicepFile.load('modules/function-app.bicep');
    const text = functionApp.vars.get('appSettings')!.text;
    for (const setting of ['HR_WEBHOOK_SECRETS', 'ACTIVATION_HMAC_KEY'])
      expect(text).toMatch(new RegExp(`\\b${setting}: '@Microsoft\\.KeyVault\\(SecretUri=\\$\\{\\w+Uri\\}\\)'`));
  });

  it('activation links are https on the site (the app would build http://WEBSITE_HOSTNAME ones)', async () => {
    const functionApp = await BicepFile.load('modules/function-app.bicep');
    const text = functionApp.vars.get('appSettings')!.text;
    expect(text).toMatch(
      /ENTRA_JML_PUBLIC_URL: empty\(publicUrl\) \? 'https:\/\/\$\{name\}\.azurewebsites\.net' : publicUrl/,
    );
    // The default host name is <name>.azurewebsites.net unless a unique one is asked for.
    const [site] = functionApp.resourcesOfType('Microsoft.Web/sites');
    expect(site!.body.text).not.toContain('autoGeneratedDomainNameLabelScope');
  });

  it('every activation setting infra sets comes from an azd environment value the preflight checks', async () => {
    const main = await BicepFile.load('main.bicep');
    const parameters = JSON.parse(readFileSync(path.join(ROOT, 'infra', 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: string }>;
    };
    const preflight = readFileSync(path.join(ROOT, 'scripts', 'azd-preflight.mjs'), 'utf8');
    const fromEnvironment: Record<string, string> = {
      enableActivation: 'ENABLE_ACTIVATION',
      activationHmacKeyValue: 'ACTIVATION_HMAC_KEY',
      activationOrgName: 'ACTIVATION_ORG_NAME',
      activationOrgLogoUrl: 'ACTIVATION_ORG_LOGO_URL',
      activationSignInUrl: 'ACTIVATION_SIGN_IN_URL',
      publicUrl: 'ENTRA_JML_PUBLIC_URL',
    };
    for (const [param, variable] of Object.entries(fromEnvironment)) {
      expect(main.params.has(param), param).toBe(true);
      expect(parameters.parameters[param]?.value, param).toMatch(new RegExp(`^\\$\\{${variable}=`));
      expect(preflight, variable).toContain(variable);
    }
    // The defaults azd passes are the app's own.
    expect(parameters.parameters.activationSignInUrl?.value).toBe(
      `\${ACTIVATION_SIGN_IN_URL=${ConfigSchema.shape.ACTIVATION_SIGN_IN_URL.parse(undefined)}}`,
    );
  });

  it('keyless Graph: a tenant, the managed identity and no secret', async () => {
    const infra = await infraAppSettings();
    for (const setting of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'GRAPH_USE_MANAGED_IDENTITY'])
      expect(infra.has(setting), setting).toBe(true);
    expect(infra.has('AZURE_CLIENT_SECRET')).toBe(false);
    expect(infra.has('AZURE_CLIENT_CERTIFICATE_PATH')).toBe(false);
  });

  it('host.json: sessions are released a few seconds after a person’s last message', () => {
    // Unset, a session slot waits the client's TryTimeout (60 s) after the last message: about 16 people a minute
    // per instance in bulk onboarding.
    // ServiceBusSessionProcessorOptions.SessionIdleTimeout, learn.microsoft.com/dotnet/api/azure.messaging.servicebus
    const serviceBus = (JSON.parse(hostJson) as { extensions: { serviceBus: Record<string, unknown> } }).extensions
      .serviceBus;
    const [h, m, s] = String(serviceBus.sessionIdleTimeout).split(':').map(Number);
    const seconds = h! * 3600 + m! * 60 + s!;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(10);
    expect(serviceBus.maxConcurrentSessions).toEqual(expect.any(Number));
  });
});
