import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { resolveWebhookKeys } from '../../shared/intake/webhook-keys';

/**
 * The webhook keys' limits beyond webhook-keys.test.ts: a Key Vault reference left unresolved in a list of keys,
 * and the shortest key accepted outside a developer machine (mutation testing, issue 15).
 */
const keysFor = (env: Record<string, string>) => resolveWebhookKeys(parseConfig(env));
const reference = '@Microsoft.KeyVault(SecretUri=https://kv-jml.vault.azure.net/secrets/hr-webhook)';

describe('webhook keys', () => {
  it('one unresolved Key Vault reference among the keys accepts nothing, even on a developer machine', () => {
    const unresolved = { ok: false, reason: 'HR_WEBHOOK_SECRETS is an unresolved Key Vault reference' };
    expect(keysFor({ HR_WEBHOOK_SECRETS: `${'k'.repeat(40)},${reference}` })).toEqual(unresolved);
    expect(keysFor({ HR_WEBHOOK_SECRETS: `dev-key, ${reference}`, ENTRA_JML_LOCAL_HOST_BIND: '127.0.0.1' })).toEqual(
      unresolved,
    );
  });

  it('outside a developer machine a key needs 32 characters: 32 is enough, 31 is not', () => {
    expect(keysFor({ HR_WEBHOOK_SECRETS: 'k'.repeat(32) })).toEqual({ ok: true, keys: ['k'.repeat(32)] });
    expect(keysFor({ HR_WEBHOOK_SECRETS: 'k'.repeat(31) })).toEqual({
      ok: false,
      reason: 'HR_WEBHOOK_SECRETS: every key needs at least 32 characters',
    });
  });
});
