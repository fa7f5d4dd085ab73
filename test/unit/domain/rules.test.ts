import { describe, expect, it } from 'vitest';
import { explainGroups, renderExplanation } from '../../../shared/domain/explain';
import { desiredGroupIds, evaluateBirthright, matchCondition, scimTargetsInScope } from '../../../shared/domain/rules';
import { demoPolicy, G, policyFrom, worker } from './fixtures';

describe('matchCondition', () => {
  it('matches everyone on an empty condition', () => {
    expect(matchCondition(worker(), {})).toEqual({ matched: true, reasons: ['applies to everyone'] });
  });

  it('compares values case-insensitively and ignores surrounding spaces', () => {
    expect(matchCondition(worker({ department: ' engineering ' }), { department: ['ENGINEERING'] }).matched).toBe(true);
    expect(matchCondition(worker({ country: 'FR' }), { country: ['fr', 'de'] }).matched).toBe(true);
  });

  it('requires every listed condition (AND), any value within one (OR)', () => {
    const when = { department: ['Engineering', 'Research'], country: ['DE'] };
    expect(matchCondition(worker({ department: 'Research', country: 'DE' }), when).matched).toBe(true);
    const miss = matchCondition(worker({ department: 'Research', country: 'FR' }), when);
    expect(miss).toEqual({ matched: false, reasons: ['country "FR" is not one of DE'] });
  });

  it('does not match a condition on a field the worker lacks', () => {
    expect(matchCondition(worker({ costCenter: undefined }), { costCenter: ['CC1'] })).toEqual({
      matched: false,
      reasons: ['cost centre is not set (wanted one of CC1)'],
    });
  });

  it('matches job titles with a case-insensitive regular expression', () => {
    const when = { jobTitle: { pattern: '\\b(manager|director)\\b' } };
    expect(matchCondition(worker({ jobTitle: 'Engineering Manager' }), when).matched).toBe(true);
    expect(matchCondition(worker({ jobTitle: 'DIRECTOR of Sales' }), when).matched).toBe(true);
    expect(matchCondition(worker({ jobTitle: 'Management trainee' }), when).matched).toBe(false);
    expect(matchCondition(worker({ jobTitle: undefined }), when).matched).toBe(false);
  });

  it('matches extension attributes by key and value, case-insensitively', () => {
    const when = { extension: { onCall: ['yes'] } };
    expect(matchCondition(worker({ extensions: { ONCALL: 'Yes' } }), when).matched).toBe(true);
    expect(matchCondition(worker({ extensions: { onCall: 'no' } }), when).matched).toBe(false);
    expect(matchCondition(worker({ extensions: {} }), when).matched).toBe(false);
  });

  it('matches employment type, company, city and office', () => {
    const w = worker({ employmentType: 'contractor', company: 'Contoso SAS', city: 'Lyon', officeLocation: 'LYN-2' });
    expect(
      matchCondition(w, {
        employmentType: ['contractor'],
        company: ['contoso sas'],
        city: ['LYON'],
        officeLocation: ['lyn-2'],
      }).matched,
    ).toBe(true);
    expect(matchCondition(w, { employmentType: ['employee'] }).matched).toBe(false);
  });
});

describe('evaluateBirthright with the demo policy', () => {
  it('a French engineer: employees, engineering, VPN, France, E3', () => {
    const grants = evaluateBirthright(worker(), demoPolicy);
    expect(grants.map((g) => [g.groupName, g.ruleIds, g.kind])).toEqual([
      ['All Employees', ['all-employees'], 'birthright'],
      ['Engineering', ['engineering'], 'birthright'],
      ['VPN Users', ['engineering'], 'birthright'],
      ['Location - France', ['location-fr'], 'birthright'],
      ['Licence - Microsoft 365 E3', ['licence:SPE_E3'], 'licence'],
    ]);
    expect(grants.at(-1)?.sku).toBe('SPE_E3');
  });

  it('deduplicates a group granted by several rules and keeps every rule', () => {
    const policy = policyFrom(`
version: d
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
birthright:
  rules:
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(15)}, name: VPN Users }] }
    - id: fr
      when: { country: [FR] }
      groups: [{ id: ${G(15)}, name: VPN Users }, { id: ${G(8)}, name: Location - France }]
`);
    const grants = evaluateBirthright(worker(), policy);
    expect(grants).toHaveLength(2);
    expect(grants[0]).toMatchObject({ groupId: G(15), ruleId: 'eng', ruleIds: ['eng', 'fr'] });
    expect(desiredGroupIds(worker(), policy)).toEqual([G(15), G(8)]);
  });

  it('a US support contractor on call gets F3, not E3 (first licence match wins)', () => {
    const w = worker({
      department: 'Support',
      country: 'US',
      employmentType: 'contractor',
      extensions: { onCall: 'yes' },
    });
    expect(desiredGroupIds(w, demoPolicy)).toEqual([G(2), G(7), G(9), G(12)]);
  });

  it('an engineering manager on call in Germany', () => {
    const w = worker({ country: 'DE', jobTitle: 'Engineering Manager', extensions: { onCall: 'true' } });
    expect(desiredGroupIds(w, demoPolicy).sort()).toEqual([G(1), G(3), G(15), G(14), G(10), G(13), G(11)].sort());
  });

  it('a department not in the policy still gets the everyone groups and a licence', () => {
    expect(desiredGroupIds(worker({ department: 'Legal', country: 'GB' }), demoPolicy)).toEqual([G(1), G(11)]);
  });

  it('add-on licences come in addition to the first base licence', () => {
    const policy = policyFrom(`
version: l
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
licenceGroups:
  - { id: ${G(12)}, name: F3, sku: SPE_F3, when: { department: [Support] } }
  - { id: ${G(11)}, name: E3, sku: SPE_E3 }
  - { id: ${G(20)}, name: Visio, sku: VISIOCLIENT, addOn: true, when: { department: [Engineering] } }
`);
    expect(desiredGroupIds(worker(), policy)).toEqual([G(11), G(20)]);
    expect(desiredGroupIds(worker({ department: 'Support' }), policy)).toEqual([G(12)]);
  });
});

describe('SCIM scoping', () => {
  it('only enabled targets whose condition matches', () => {
    const policy = policyFrom(`
version: s
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
scimTargets:
  - { id: payroll, name: Payroll, baseUrl: "https://payroll.example/scim/v2", when: { employmentType: [employee] } }
  - { id: pos, name: POS, baseUrl: "https://pos.example/scim/v2", when: { department: [Retail] } }
  - { id: off, name: Off, baseUrl: "https://off.example/scim/v2", enabled: false }
`);
    expect(scimTargetsInScope(worker(), policy).map((t) => t.id)).toEqual(['payroll']);
    expect(
      scimTargetsInScope(worker({ employmentType: 'contractor', department: 'Retail' }), policy).map((t) => t.id),
    ).toEqual(['pos']);
  });
});

describe('explainGroups', () => {
  it('says which rule and policy version put the person in each group, and why', () => {
    const w = worker({ jobTitle: 'Engineering Manager' });
    const explained = explainGroups(w, demoPolicy);
    const managers = explained.find((e) => e.groupId === G(13));
    expect(managers).toEqual({
      groupId: G(13),
      groupName: 'People Managers',
      kind: 'birthright',
      ruleIds: ['people-managers'],
      policyVersion: '2026.11-1',
      text:
        'People Managers: rule people-managers (Job title says the person manages people) because job title ' +
        '"Engineering Manager" matches /\\b(manager|director|head of|vp)\\b/; policy 2026.11-1',
    });
    expect(explained.find((e) => e.groupId === G(11))?.text).toBe(
      'Licence - Microsoft 365 E3: licence group for SPE_E3 because applies to everyone; policy 2026.11-1',
    );
    expect(explained.find((e) => e.groupId === G(3))?.text).toBe(
      'Engineering: rule engineering (Engineering department) because department is Engineering; policy 2026.11-1',
    );
  });

  it('renders lines for the CLI', () => {
    const text = renderExplanation(worker({ department: 'Finance', country: 'US' }), demoPolicy);
    expect(text.split('\n')).toEqual([
      'E1001: 4 group(s) from policy 2026.11-1',
      '  - All Employees: rule all-employees (Everyone on the payroll (employees and interns)) ' +
        'because employment type is employee; policy 2026.11-1',
      '  - Finance: rule finance (Finance department) because department is Finance; policy 2026.11-1',
      '  - Location - United States: rule location-us (Works in the United States) ' +
        'because country is US; policy 2026.11-1',
      '  - Licence - Microsoft 365 E3: licence group for SPE_E3 because applies to everyone; policy 2026.11-1',
    ]);
  });
});
