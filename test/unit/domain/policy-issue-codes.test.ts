import { describe, expect, it } from 'vitest';
import { Policy } from '../../../shared/domain/policy';
import { GUID, minimalPolicy } from './policy-json';

/**
 * Policy is an exported zod schema: a caller validating with it directly (not through parsePolicy) sees zod issues.
 * The policy's own refusals (UPN patterns, cross-field checks, licence report checks) are `custom` issues, so such a
 * caller can tell them from zod's type and range issues.
 */

const OTHER = GUID.replace(/1$/, '2');

function codesOf(policy: unknown): [string, string][] {
  const result = Policy.safeParse(policy);
  if (result.success) throw new Error('expected the policy to be rejected');
  return result.error.issues.map((issue) => [issue.path.join('.'), issue.code]);
}

describe('the policy schema reports its own checks as custom issues', () => {
  it('UPN patterns', () => {
    expect(codesOf({ ...minimalPolicy(), upn: { pattern: '{surname} x' } })).toEqual([
      ['upn.pattern', 'custom'],
      ['upn.pattern', 'custom'],
    ]);
  });

  it('a pattern with no token, extension attribute names, SCIM mappings and auth given twice', () => {
    const target = {
      id: 'crm',
      name: 'CRM',
      baseUrl: 'https://crm.example/scim/v2',
      auth: { type: 'bearer', tokenSetting: 'T' },
      tokenSecretName: 'T',
    };
    const policy = {
      ...minimalPolicy(),
      upn: { pattern: 'x' },
      attributeMapping: { extensionAttributes: { extensionAttribute16: 'department' } },
      scimTargets: [{ ...target, mapping: { 'a..b': 'mail', title: 'Shout(jobTitle)' } }],
    };
    expect(codesOf(policy)).toEqual([
      ['upn.pattern', 'custom'],
      ['scimTargets.0.mapping.title', 'custom'],
      ['scimTargets.0.mapping.a..b', 'custom'],
      ['scimTargets.0.tokenSecretName', 'custom'],
      ['attributeMapping.extensionAttributes.extensionAttribute16', 'custom'],
    ]);
    expect(codesOf({ ...minimalPolicy(), scimTargets: [target] })).toEqual([
      ['scimTargets.0.tokenSecretName', 'custom'],
    ]);
  });

  it('cross-field checks', () => {
    const tier = (groupId: string, currency: string) => ({ groupId, tier: 'P', seats: 1, unitPrice: 1, currency });
    const policy = {
      ...minimalPolicy(),
      tenant: { upnDomain: `${'a'.repeat(60)}.com` },
      birthright: {
        rules: [
          { id: 'a', groups: [{ id: GUID, name: 'All' }] },
          { id: 'a', groups: [{ id: GUID, name: 'Everyone' }] },
        ],
      },
      licenceGroups: [
        { id: GUID, name: 'All', sku: 'E3' },
        { id: OTHER, name: 'L', sku: 'E3' },
        { id: OTHER, name: 'L', sku: 'E3' },
      ],
      retiredGroups: [{ id: OTHER, name: 'L' }],
      scimTargets: [
        { id: 'entra', name: 'E', baseUrl: 'https://e.example/scim' },
        { id: 'entra', name: 'E', baseUrl: 'https://e.example/scim' },
      ],
      lifecycleWorkflows: {
        tasks: [
          {
            match: { taskId: GUID },
            run: 'accessPackage',
            accessPackage: { groups: [{ id: GUID, name: 'Third' }], scimTargets: ['x'] },
          },
        ],
      },
      licences: {
        apps: [
          { id: 'a', name: 'A', licenceGroups: [tier(GUID, 'EUR'), tier(OTHER, 'USD')], scimTargetId: 'x' },
          { id: 'a', name: 'A', licenceGroups: [tier(GUID, 'EUR')] },
        ],
      },
    };
    expect(codesOf(policy)).toEqual(
      [
        'birthright.rules.1.id', // duplicate rule id
        'birthright.rules.1.groups.0.name', // one group, two names
        'licenceGroups.0.id', // also a birthright group
        'licenceGroups.0.name',
        'licenceGroups.2.id', // duplicate licence group
        'retiredGroups.0.id', // retired but granted
        'scimTargets.0.id', // "entra" is reserved
        'scimTargets.1.id', // duplicate target id
        'scimTargets.1.id',
        'lifecycleWorkflows.tasks.0.accessPackage.groups.0.name',
        'lifecycleWorkflows.tasks.0.accessPackage.scimTargets.0', // unknown target
        'licences.apps.0.scimTargetId', // unknown target
        'licences.apps.0.licenceGroups', // two currencies
        'licences.apps.1.id', // duplicate app id
        'licences.apps.1.licenceGroups.0.groupId', // group used by two apps
        'upn.maxLocalPartLength', // 113-character UPN limit
      ].map((path) => [path, 'custom']),
    );
  });
});
