import { describe, expect, it } from 'vitest';
import type * as PolicyModule from '../../../shared/domain/policy';

/**
 * The policy module builds its schemas when it loads; one that cannot be built (a discriminated union whose option
 * lacks the discriminator) throws then, and every service that reads a policy fails to start. Imported inside the
 * test, not at the top, so that failure fails this test rather than the whole file before any test runs (which
 * StrykerJS does not count as a kill). The type import is erased: it loads nothing.
 */
describe('the policy module', () => {
  it('loads and its schema reads SCIM auth of both kinds', async () => {
    const { Policy }: typeof PolicyModule = await import('../../../shared/domain/policy.js');
    const auth = [
      { type: 'bearer', tokenSetting: 'T' },
      { type: 'oauthClientCredentials', tokenUrl: 'https://login.example/t', clientId: 'c', clientSecretSetting: 'S' },
    ];
    const policy = {
      version: '1',
      tenant: { upnDomain: 'contoso.com' },
      upn: { pattern: '{given}' },
      scimTargets: auth.map((a, i) => ({ id: `t${i}`, name: 'T', baseUrl: 'https://t.example/scim', auth: a })),
    };
    expect(Policy.parse(policy).scimTargets.map((t) => t.auth?.type)).toEqual(['bearer', 'oauthClientCredentials']);
  });
});
