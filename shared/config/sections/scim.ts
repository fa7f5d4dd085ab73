import type { Policy, ScimTarget } from '../../domain/policy';

/**
 * SCIM targets (policy `scimTargets`). Their secrets are app settings the policy names (`auth.tokenSetting`,
 * `auth.clientSecretSetting`, or the older `tokenSecretName`), in Azure usually Key Vault references
 * (`@Microsoft.KeyVault(SecretUri=...)`) that the platform resolves before the app reads them. They are read here,
 * through `scimSecret`, and nowhere else; the start-up check (functions/config-check.ts) lists the missing ones.
 */

/** The app setting a target's secret is in, or null when the target sends no credentials (a local demo target). */
function scimSecretSettingName(target: ScimTarget): string | null {
  if (target.auth?.type === 'bearer') return target.auth.tokenSetting;
  if (target.auth?.type === 'oauthClientCredentials') return target.auth.clientSecretSetting;
  return target.tokenSecretName ?? null;
}

export class ScimSettingError extends Error {
  constructor(
    readonly setting: string,
    readonly expected: string,
  ) {
    super(`${setting}: ${expected}`);
    this.name = 'ScimSettingError';
  }
}

const UNRESOLVED_KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

/**
 * The value of the app setting `name`: non-empty, and not a Key Vault reference Azure could not resolve (it reaches
 * the app as the literal text, https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
 * #troubleshooting-key-vault-references), which would be sent as a token.
 */
export function scimSecret(name: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ScimSettingError(name, 'not set (a SCIM target needs it)');
  if (UNRESOLVED_KEY_VAULT_REFERENCE.test(value)) {
    throw new ScimSettingError(
      name,
      'an unresolved Key Vault reference: grant the app identity "Key Vault Secrets User" and check the name',
    );
  }
  return value;
}

/** Every enabled target whose secret setting is missing or unusable, as `{setting, expected}` (start-up check). */
export function scimSettingProblems(
  policy: Pick<Policy, 'scimTargets'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { setting: string; expected: string }[] {
  const problems: { setting: string; expected: string }[] = [];
  for (const target of policy.scimTargets) {
    const setting = scimSecretSettingName(target);
    if (!target.enabled || setting === null) continue;
    try {
      scimSecret(setting, env);
    } catch (error) {
      if (!(error instanceof ScimSettingError)) throw error;
      problems.push({ setting, expected: `${error.expected} (SCIM target ${target.id})` });
    }
  }
  return problems;
}
