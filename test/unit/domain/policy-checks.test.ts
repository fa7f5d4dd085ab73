import { describe, expect, it } from 'vitest';
import { groupName, loadPolicy, managedGroupIds, parsePolicy, PolicyError } from '../../../shared/domain/policy';
import { minimalYaml, refusalOf } from './policy-json';

/**
 * The policy's cross-field checks that policy.test.ts does not reach (mutation testing, issue 15): licence groups,
 * SCIM target ids, Lifecycle Workflows access packages, the licence report, the UPN length, and the lookups.
 */
// Not fixtures.ts's G: fixtures.ts loads the demo policy when imported, and a mutant that breaks that load fails the
// whole file before any test runs, which StrykerJS does not count as a kill.
const G = (nn: number): string => `a0000000-0000-4000-8000-0000000000${String(nn).padStart(2, '0')}`;

const target = (id: string) => `{ id: ${id}, name: T, baseUrl: "https://t.example/scim" }`;
const tier = (group: string, currency = 'EUR') =>
  `{ groupId: ${group}, tier: Pro, seats: 5, unitPrice: 10, currency: ${currency} }`;

describe('policy cross-field checks', () => {
  it('refuses a licence group listed twice, and a SCIM target id used twice', () => {
    expect(
      refusalOf(`${minimalYaml}
licenceGroups:
  - { id: ${G(2)}, name: E3, sku: SPE_E3 }
  - { id: ${G(2).toUpperCase()}, name: E3, sku: SPE_E3 }
scimTargets: [${target('crm')}, ${target('crm')}]
`),
    ).toEqual([
      `licenceGroups.1.id: duplicate licence group ${G(2).toUpperCase()}`,
      'scimTargets.1.id: duplicate SCIM target id "crm"',
    ]);
  });

  it('accepts distinct groups and targets', () => {
    expect(() =>
      parsePolicy(`${minimalYaml}
birthright: { rules: [{ id: all, groups: [{ id: ${G(1)}, name: All }] }] }
licenceGroups: [{ id: ${G(2)}, name: E3, sku: SPE_E3 }]
retiredGroups: [{ id: ${G(3)}, name: Old }]
scimTargets: [${target('crm')}, ${target('hr')}]
`),
    ).not.toThrow();
  });

  it('refuses a retired group that a licence group still grants', () => {
    expect(
      refusalOf(`${minimalYaml}
licenceGroups: [{ id: ${G(2)}, name: E3, sku: SPE_E3 }]
retiredGroups: [{ id: ${G(2)}, name: E3 }]
`),
    ).toEqual([`retiredGroups.0.id: group ${G(2)} is retired but still granted by the policy`]);
  });

  it('checks the groups and SCIM targets of a Lifecycle Workflows access package', () => {
    expect(
      refusalOf(`${minimalYaml}
birthright: { rules: [{ id: all, groups: [{ id: ${G(1)}, name: All }] }] }
scimTargets: [${target('crm')}]
lifecycleWorkflows:
  tasks:
    - match: { taskDisplayName: Grant }
      run: accessPackage
      accessPackage: { groups: [{ id: ${G(1)}, name: Everyone }], scimTargets: [crm, erp] }
`),
    ).toEqual([
      `lifecycleWorkflows.tasks.0.accessPackage.groups.0.name: group ${G(1)} is named "All" elsewhere in the policy`,
      'lifecycleWorkflows.tasks.0.accessPackage.scimTargets.1: no scimTargets entry has id "erp"',
    ]);
  });

  it('refuses a UPN that could exceed 113 characters, and accepts one at the limit', () => {
    const domain = `${'d'.repeat(44)}.com`; // 48 characters
    expect(() =>
      parsePolicy(
        `version: "1"\ntenant: { upnDomain: ${domain} }\nupn: { pattern: "{given}", maxLocalPartLength: 64 }\n`,
      ),
    ).not.toThrow();
    expect(
      refusalOf(
        `version: "1"\ntenant: { upnDomain: e${domain} }\nupn: { pattern: "{given}", maxLocalPartLength: 64 }\n`,
      ),
    ).toEqual(['upn.maxLocalPartLength: local part (64) + domain exceed the 113-character UPN limit']);
  });
});

describe('licence report checks', () => {
  it('refuses a duplicate app id, an unknown SCIM target, a group counted twice and mixed currencies', () => {
    expect(
      refusalOf(`${minimalYaml}
scimTargets: [${target('crm')}]
licences:
  apps:
    - { id: acme, name: Acme, licenceGroups: [${tier(G(5))}], scimTargetId: crm }
    - id: acme
      name: Acme 2
      licenceGroups: [${tier(G(6))}, ${tier(G(7), 'USD')}]
      unlicensedGroups: [${G(5)}]
      scimTargetId: erp
`),
    ).toEqual([
      'licences.apps.1.id: duplicate app id "acme"',
      'licences.apps.1.scimTargetId: no SCIM target "erp" in scimTargets',
      `licences.apps.1.unlicensedGroups.0: group ${G(5)} is already used by app "acme"`,
      'licences.apps.1.licenceGroups: all tiers of an app use one currency',
    ]);
  });

  it('reads a group id in any case as the same group (object ids are case-insensitive GUIDs)', () => {
    expect(
      refusalOf(`${minimalYaml}
birthright:
  rules:
    - { id: all, groups: [{ id: ${G(1)}, name: All }] }
    - { id: eng, groups: [{ id: ${G(1).toUpperCase()}, name: Everyone }] }
licences:
  apps:
    - { id: acme, name: Acme, licenceGroups: [${tier(G(5))}] }
    - { id: erp, name: Erp, licenceGroups: [${tier(G(5).toUpperCase())}] }
`),
    ).toEqual([
      `birthright.rules.1.groups.0.name: group ${G(1).toUpperCase()} is named "All" elsewhere in the policy`,
      `licences.apps.1.licenceGroups.0.groupId: group ${G(5).toUpperCase()} is already used by app "acme"`,
    ]);
  });

  it('accepts apps with distinct ids, groups and one currency each', () => {
    expect(() =>
      parsePolicy(`${minimalYaml}
scimTargets: [${target('crm')}]
licences:
  apps:
    - { id: acme, name: Acme, licenceGroups: [${tier(G(5))}, ${tier(G(6))}], scimTargetId: crm }
    - { id: beta, name: Beta, licenceGroups: [${tier(G(7), 'USD')}], unlicensedGroups: [${G(8)}] }
`),
    ).not.toThrow();
  });
});

describe('reading a policy', () => {
  it('names a JSON syntax error at the root', () => {
    expect(refusalOf('{ "version": ', 'json')[0]).toMatch(/^\(root\): not valid JSON: /);
  });

  it('names a file it cannot read, with the error code', () => {
    const path = '/nonexistent/policy.yaml';
    expect(() => loadPolicy(path)).toThrow(PolicyError);
    try {
      loadPolicy(path);
    } catch (error) {
      expect((error as PolicyError).problems).toEqual([{ path: '(file)', reason: `cannot read ${path}: ENOENT` }]);
      expect((error as PolicyError).message).toBe(
        `Invalid policy file ${path}:\n  (file): cannot read ${path}: ENOENT`,
      );
      expect((error as PolicyError).name).toBe('PolicyError');
    }
  });
});

describe('group lookups', () => {
  const policy = parsePolicy(`${minimalYaml}
birthright: { rules: [{ id: all, groups: [{ id: ${G(1)}, name: All }, { id: ${G(4)}, name: Four }] }] }
licenceGroups: [{ id: ${G(2)}, name: E3, sku: SPE_E3 }]
retiredGroups: [{ id: ${G(3)}, name: Old }]
`);

  it('managedGroupIds lists birthright, licence and retired groups once each', () => {
    expect(managedGroupIds(policy)).toEqual([G(1), G(4), G(2), G(3)]);
  });

  it('groupName finds a group of each kind, ignoring case, and nothing for another id', () => {
    expect([G(1), G(4), G(2).toUpperCase(), G(3)].map((id) => groupName(policy, id))).toEqual([
      'All',
      'Four',
      'E3',
      'Old',
    ]);
    expect(groupName(policy, G(9))).toBeUndefined();
  });
});
