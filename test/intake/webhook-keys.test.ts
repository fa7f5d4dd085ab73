import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { LOCAL_WEBHOOK_SECRET } from '../../shared/config/sections/intake';
import { resolveWebhookKeys } from '../../shared/intake/webhook-keys';

const strong = 'k'.repeat(40);
const keysFor = (env: Record<string, string>) => resolveWebhookKeys(parseConfig(env));

describe('webhook keys fail closed', () => {
  it('the development key is used only on a local host bound to loopback', () => {
    expect(keysFor({ ENTRA_JML_LOCAL_HOST_BIND: '127.0.0.1' })).toEqual({ ok: true, keys: [LOCAL_WEBHOOK_SECRET] });
    expect(keysFor({ ENTRA_JML_LOCAL_HOST_BIND: '::1' })).toEqual({ ok: true, keys: [LOCAL_WEBHOOK_SECRET] });
  });

  it('in Azure (no local host), or on a host reachable from the network, a missing key accepts nothing', () => {
    expect(keysFor({})).toMatchObject({ ok: false, reason: 'HR_WEBHOOK_SECRETS is not set' });
    expect(keysFor({ ENTRA_JML_LOCAL_HOST_BIND: '0.0.0.0' })).toMatchObject({ ok: false });
    expect(keysFor({ HR_WEBHOOK_SECRETS: ' , ' })).toMatchObject({ ok: false });
  });

  it('refuses the public development key and short keys outside a developer machine', () => {
    expect(keysFor({ HR_WEBHOOK_SECRETS: LOCAL_WEBHOOK_SECRET })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('public development key'),
    });
    expect(keysFor({ HR_WEBHOOK_SECRETS: `${strong},short` })).toMatchObject({ ok: false });
    expect(keysFor({ HR_WEBHOOK_SECRETS: `${strong}, ${strong}2` })).toEqual({
      ok: true,
      keys: [strong, `${strong}2`],
    });
  });
});

describe('webhook keys are worked out once per config', () => {
  it('answers the same keys for the same config without resolving them again, and each config its own', () => {
    const config = parseConfig({ HR_WEBHOOK_SECRETS: strong });
    const first = resolveWebhookKeys(config);
    expect(resolveWebhookKeys(config)).toBe(first);
    const other = parseConfig({ HR_WEBHOOK_SECRETS: `${'m'.repeat(40)}` });
    expect(resolveWebhookKeys(other)).toEqual({ ok: true, keys: ['m'.repeat(40)] });
    expect(resolveWebhookKeys(config)).toEqual({ ok: true, keys: [strong] });
  });
});
