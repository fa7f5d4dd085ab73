import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exceedsDeletionThreshold,
  loadPolicy,
  managedGroupIds,
  parsePolicy,
  Policy,
  policyJsonSchemaText,
} from '../../../shared/domain/policy';
import { G } from './fixtures';
import { minimalYaml, refusalOf } from './policy-json';

describe('policy files', () => {
  it.each(['policy/policy.yaml', 'policy/examples/small-org.yaml', 'policy/examples/large-org.yaml'])(
    '%s is valid',
    (path) => {
      const policy = loadPolicy(path);
      expect(policy.version).toMatch(/\S/);
    },
  );

  it('the demo policy uses the demo tenant and its 15 groups', () => {
    const policy = loadPolicy('policy/policy.yaml');
    expect(policy.tenant.upnDomain).toBe('contoso.com');
    const managed = managedGroupIds(policy).sort();
    expect(managed).toEqual(Array.from({ length: 15 }, (_, i) => G(i + 1)).sort());
    expect(policy.licenceGroups.map((g) => [g.id, g.sku])).toEqual([
      [G(12), 'SPE_F3'],
      [G(11), 'SPE_E3'],
    ]);
  });

  it('the committed JSON schema is the generated one (npm run policy:schema)', () => {
    expect(readFileSync('policy/policy.schema.json', 'utf8')).toBe(policyJsonSchemaText());
  });

  it('accepts JSON and fills defaults', () => {
    const policy = parsePolicy(
      JSON.stringify({ version: '3', tenant: { upnDomain: 'contoso.com' }, upn: { pattern: '{given}' } }),
      'json',
    );
    expect(policy.prehireDays).toBe(7);
    expect(policy.upn.maxLocalPartLength).toBe(64);
    expect(policy.upn.reservedWords).toContain('postmaster');
    expect(policy.leaver).toEqual({
      retentionDays: 30,
      revokeSessions: true,
      removeGroups: true,
      removeLicences: true,
      notifyManager: true,
    });
    expect(policy.attributeMapping.employeeType.contractor).toBe('Contractor');
  });

  it('loadPolicy reads .json as JSON and names the file in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({ version: '1', tenant: { upnDomain: 'contoso.com' }, upn: { pattern: '{family}' } }),
    );
    expect(loadPolicy(file).upn.pattern).toBe('{family}');
    writeFileSync(file, '{ "version": 1 ');
    expect(() => loadPolicy(file)).toThrow(/policy file .*p\.json/);
    expect(() => loadPolicy(join(dir, 'missing.yaml'))).toThrow(/cannot read .*missing\.yaml: ENOENT/);
  });
});

describe('policy errors list every problem as path: reason', () => {
  it('missing and mistyped fields', () => {
    const problems = refusalOf(`
version: "1"
tenant: { upnDomain: "not a domain" }
upn: { pattern: "{given}.{surname}", maxLocalPartLength: 200 }
prehireDays: -1
leaver: { retentionDays: "30" }
`);
    expect(problems).toEqual([
      'tenant.upnDomain: a DNS domain such as contoso.com',
      expect.stringMatching(/^upn\.pattern: unknown token\(s\) \{surname\}/),
      'upn.maxLocalPartLength: Too big: expected number to be <=64',
      'prehireDays: Too small: expected number to be >=0',
      'leaver.retentionDays: Invalid input: expected number, received string',
    ]);
  });

  it('paths into rules and groups', () => {
    const problems = refusalOf(`${minimalYaml}
birthright:
  rules:
    - id: eng
      when: { department: [] , jobTitle: { pattern: "(" } }
      groups: [{ id: not-a-guid, name: Engineering }]
    - id: eng
      when: { shoeSize: [42] }
      groups: []
`);
    expect(problems).toEqual([
      'birthright.rules.0.when.department: list at least one value (omit the condition to match everyone)',
      'birthright.rules.0.when.jobTitle.pattern: not a valid regular expression',
      'birthright.rules.0.groups.0.id: an Entra object id (GUID)',
      'birthright.rules.1.when: Unrecognized key: "shoeSize"',
      'birthright.rules.1.groups: Too small: expected array to have >=1 items',
    ]);
  });

  it('cross-field checks: duplicate rule ids, clashing group names, licence vs birthright, retired but granted', () => {
    const problems = refusalOf(`${minimalYaml}
birthright:
  rules:
    - id: a
      groups: [{ id: ${G(1)}, name: All }]
    - id: a
      groups: [{ id: ${G(1)}, name: Everyone }]
licenceGroups:
  - { id: ${G(1)}, name: All, sku: SPE_E3 }
retiredGroups:
  - { id: ${G(1)}, name: All }
scimTargets:
  - { id: entra, name: X, baseUrl: "https://x.example/scim" }
`);
    expect(problems).toEqual([
      'birthright.rules.1.id: duplicate rule id "a"',
      `birthright.rules.1.groups.0.name: group ${G(1)} is named "All" elsewhere in the policy`,
      `licenceGroups.0.id: group ${G(1)} is also a birthright group; licence groups must be distinct`,
      `licenceGroups.0.name: group ${G(1)} is named "Everyone" elsewhere in the policy`,
      `retiredGroups.0.id: group ${G(1)} is retired but still granted by the policy`,
      'scimTargets.0.id: "entra" is reserved for the directory itself',
    ]);
  });

  it('unknown top-level keys and extension attribute names', () => {
    expect(
      refusalOf(`${minimalYaml}
prehire_days: 3
attributeMapping: { extensionAttributes: { extensionAttribute16: costCenter, extensionAttribute1: shoeSize } }
`),
    ).toEqual([
      'attributeMapping.extensionAttributes.extensionAttribute1: ' +
        'one of employeeId, department, jobTitle, costCenter, company, country, city, officeLocation, ' +
        'employmentType, managerEmployeeId, hireDate, leaveDate or extensions.<key>',
      'attributeMapping.extensionAttributes.extensionAttribute16: only extensionAttribute1 .. extensionAttribute15',
      '(root): Unrecognized key: "prehire_days"',
    ]);
  });

  it('badly shaped sections are reported, not crashed on', () => {
    expect(
      refusalOf(`${minimalYaml}
birthright: { rules: [{ id: a, groups: "Engineering" }] }
licenceGroups: { id: x }
scimTargets: [{ id: crm, name: CRM, baseUrl: "not a url" }]
`),
    ).toEqual([
      'birthright.rules.0.groups: Invalid input: expected array, received string',
      'licenceGroups: Invalid input: expected array, received object',
      'scimTargets.0.baseUrl: Invalid URL',
    ]);
  });

  it('YAML syntax errors carry line and column', () => {
    const problems = refusalOf('version: "1"\ntenant: { upnDomain: contoso.com\nupn: x\n');
    expect(problems[0]).toMatch(/^\(line \d+, column \d+\): /);
  });

  it('duplicate YAML keys are errors, not silently merged', () => {
    expect(refusalOf(`${minimalYaml}prehireDays: 3\nprehireDays: 5\n`)[0]).toMatch(/line 6.*Map keys must be unique/);
  });

  it('the message of the error lists the problems one per line', () => {
    expect(() => parsePolicy('version: ""\n', 'yaml')).toThrow(
      /Invalid policy:\n {2}version: Too small.*\n {2}tenant: Invalid input/,
    );
  });

  it('a UPN pattern needs a token and UPN-safe literals', () => {
    expect(
      refusalOf('version: "1"\ntenant: { upnDomain: contoso.com }\nupn: { pattern: "firstname lastname" }\n'),
    ).toEqual([
      'upn.pattern: must contain at least one token such as {given} or {family}',
      'upn.pattern: literal characters must be UPN-safe (A-Z a-z 0-9 \' . - _ ! # ^ ~), got "firstname lastname"',
    ]);
  });

  it('the inferred type round-trips through the schema', () => {
    const policy = parsePolicy(minimalYaml);
    expect(Policy.parse(policy)).toEqual(policy);
  });
});

describe('exceedsDeletionThreshold', () => {
  const policy = parsePolicy(`${minimalYaml}deletionThreshold: { maxPerHour: 20, maxPercent: 10 }\n`);
  it.each([
    [{ pending: 20, totalAccounts: 1000 }, false],
    [{ pending: 21, totalAccounts: 1000 }, true],
    [{ pending: 5, alreadyInWindow: 16, totalAccounts: 1000 }, true],
    [{ pending: 11, totalAccounts: 100 }, true],
    [{ pending: 10, totalAccounts: 100 }, false],
    [{ pending: 1, totalAccounts: 0 }, false],
    // A small tenant (under percentAppliesFrom = 100 accounts): only maxPerHour.
    [{ pending: 5, totalAccounts: 30 }, false],
    [{ pending: 10, totalAccounts: 99 }, false],
  ])('%o → %s', (counts, expected) => {
    expect(exceedsDeletionThreshold(counts, policy)).toBe(expected);
  });
});
