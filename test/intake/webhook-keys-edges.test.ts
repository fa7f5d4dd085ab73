import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { resolveWebhookKeys } from '../../shared/intake/webhook-keys';

const keysFor = (env: Record<string, string>) => resolveWebhookKeys(parseConfig(env));
/** parseConfig already refuses a Key Vault reference; this is the check behind it, for a config built otherwise. */
const withSecrets = (secrets: string, env: Record<string, string> = {}) =>
  resolveWebhookKeys({ ...parseConfig(env), HR_WEBHOOK_SECRETS: secrets });
const reference = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/hr-webhook)';

/** The edges of the webhook keys: unresolved Key Vault references and the minimum key length. */
describe('webhook keys edges', () => {
  it('an unresolved Key Vault reference accepts nothing, even beside a good key and on a developer machine', () => {
    const refused = { ok: false, reason: 'HR_WEBHOOK_SECRETS is an unresolved Key Vault reference' };
    expect(withSecrets(reference)).toEqual(refused);
    expect(withSecrets(`${'k'.repeat(40)},${reference}`)).toEqual(refused);
    expect(withSecrets(reference, { ENTRA_JML_LOCAL_HOST_BIND: '127.0.0.1' })).toEqual(refused);
  });

  it('a key of exactly 32 characters is enough; 31 is refused with the reason', () => {
    expect(keysFor({ HR_WEBHOOK_SECRETS: 'k'.repeat(32) })).toEqual({ ok: true, keys: ['k'.repeat(32)] });
    expect(keysFor({ HR_WEBHOOK_SECRETS: 'k'.repeat(31) })).toEqual({
      ok: false,
      reason: 'HR_WEBHOOK_SECRETS: every key needs at least 32 characters',
    });
  });

  it('a short key is accepted on a developer machine', () => {
    expect(keysFor({ HR_WEBHOOK_SECRETS: 'short', ENTRA_JML_LOCAL_HOST_BIND: '127.0.0.1' })).toEqual({
      ok: true,
      keys: ['short'],
    });
  });
});
