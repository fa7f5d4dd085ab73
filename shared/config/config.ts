import { z } from 'zod';
import { ActivationSection } from './sections/activation';
import { AppSection, LocalHostSection } from './sections/app';
import { AuditSection } from './sections/audit';
import { GraphSection } from './sections/graph';
import { InboundTokenSection, IntakeSection } from './sections/intake';
import { ServiceBusSection } from './sections/service-bus';

/**
 * The app's one configuration object: every section's schema merged, parsed once from the
 * environment (app settings in Azure, local.settings.json Values locally). A bad or missing setting
 * stops start-up with the setting's name and what is expected.
 *
 * Sections live in ./sections, one file per concern; add a section there and merge it here.
 */
const BaseShape = z.object({
  ...AppSection.shape,
  ...LocalHostSection.shape,
  ...ActivationSection.shape,
  ...AuditSection.shape,
  ...GraphSection.shape,
  ...IntakeSection.shape,
  ...InboundTokenSection.shape,
  ...ServiceBusSection.shape,
});

export const ConfigSchema = BaseShape.superRefine(checkAcrossSettings);
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Settings that are valid one by one but contradict each other. A tenant id without a credential used to mean
 * "emulator mode" in silence: a deployment with a missing secret would have talked to nothing.
 */
function checkAcrossSettings(config: z.infer<typeof BaseShape>, ctx: z.RefinementCtx): void {
  const problem = (setting: string, message: string) => ctx.addIssue({ code: 'custom', path: [setting], message });
  const credential =
    config.GRAPH_USE_MANAGED_IDENTITY || !!config.AZURE_CLIENT_SECRET || !!config.AZURE_CLIENT_CERTIFICATE_PATH;
  if (config.AZURE_TENANT_ID && !credential) {
    problem(
      'AZURE_TENANT_ID',
      'a tenant id needs a credential: GRAPH_USE_MANAGED_IDENTITY=true, AZURE_CLIENT_SECRET or ' +
        'AZURE_CLIENT_CERTIFICATE_PATH (unset AZURE_TENANT_ID to use the local emulator)',
    );
  }
  if (!config.AZURE_TENANT_ID && credential) {
    problem('AZURE_TENANT_ID', 'a Graph credential is set but no tenant id: set AZURE_TENANT_ID');
  }
  if ((config.AZURE_CLIENT_SECRET || config.AZURE_CLIENT_CERTIFICATE_PATH) && !config.AZURE_CLIENT_ID) {
    problem('AZURE_CLIENT_ID', 'required with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH');
  }
  if (config.AZURE_CLIENT_SECRET && config.AZURE_CLIENT_CERTIFICATE_PATH) {
    problem('AZURE_CLIENT_SECRET', 'set either a client secret or a certificate, not both');
  }
}

/**
 * In Azure, a Key Vault reference that cannot be resolved (no access, wrong name) reaches the app as the literal
 * `@Microsoft.KeyVault(...)` text (app-service-key-vault-references#troubleshooting). Used as a key or a secret it
 * would look set while being public: such a value is refused wherever it appears.
 */
export const UNRESOLVED_KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

export class ConfigError extends Error {
  constructor(readonly problems: { setting: string; expected: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.setting}: ${p.expected}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "not set" (Azure portal and local.settings.json often carry "").
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const unresolved = Object.entries(cleaned)
    .filter(([setting, value]) => setting in BaseShape.shape && UNRESOLVED_KEY_VAULT_REFERENCE.test(String(value)))
    .map(([setting]) => ({
      setting,
      expected: 'an unresolved Key Vault reference: grant the app identity "Key Vault Secrets User" and check the name',
    }));
  if (unresolved.length) throw new ConfigError(unresolved);
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ setting: issue.path.join('.') || '(root)', expected: issue.message })),
    );
  }
  return result.data;
}

let cached: Config | undefined;

/** The validated config, read once per process. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
