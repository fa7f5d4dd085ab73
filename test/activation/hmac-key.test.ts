import { describe, expect, it } from 'vitest';
import { activationHmacKey } from '../../shared/adapters/activation/create-activation-adapters';
import { parseConfig } from '../../shared/config/config';

describe('activation HMAC key', () => {
  it('the local host may use its development key; anywhere else activation refuses to run without one', () => {
    expect(activationHmacKey(parseConfig({ WEBSITE_HOSTNAME: 'localhost:7071' }))).toMatch(/local-development/);
    expect(() => activationHmacKey(parseConfig({ WEBSITE_HOSTNAME: 'jml.azurewebsites.net' }))).toThrow(
      /ACTIVATION_HMAC_KEY: required outside the local host/,
    );
    const tenant = { WEBSITE_HOSTNAME: 'localhost:7071', AZURE_TENANT_ID: 't', GRAPH_USE_MANAGED_IDENTITY: 'true' };
    expect(() => activationHmacKey(parseConfig(tenant))).toThrow(/ACTIVATION_HMAC_KEY/);
    const key = 'k'.repeat(48);
    expect(activationHmacKey(parseConfig({ ...tenant, ACTIVATION_HMAC_KEY: key }))).toBe(key);
    expect(() => parseConfig({ ACTIVATION_HMAC_KEY: 'short' })).toThrow(/at least 32 characters/);
  });
});
