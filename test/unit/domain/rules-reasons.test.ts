import { describe, expect, it } from 'vitest';
import type { WorkerRecord } from '../../../shared/domain/hr-event';
import { evaluateBirthright, matchCondition } from '../../../shared/domain/rules';
import { G, policyFrom, worker } from './fixtures';

/**
 * What a condition says when it matches or not (the reasons the explain command and the plan show), and how grants
 * from several rules merge (mutation testing, issue 15). rules.test.ts covers which groups a person gets.
 */
describe('the reasons of a match', () => {
  it('name each field that matched, with the label operators read', () => {
    const w = worker({
      company: 'Contoso SAS',
      city: 'Lyon',
      officeLocation: 'LYN-2',
      extensions: { badge: '42', onCall: 'yes' },
    });
    const result = matchCondition(w, {
      company: ['contoso sas'],
      city: ['lyon'],
      officeLocation: ['LYN-2'],
      extension: { oncall: ['YES'] },
    });
    expect(result).toEqual({
      matched: true,
      reasons: ['company is Contoso SAS', 'city is Lyon', 'office is LYN-2', 'extension oncall is yes'],
    });
  });

  it('an extension condition reads the extension of that key, not another one', () => {
    const w = worker({ extensions: { badge: '42', onCall: 'no' } });
    expect(matchCondition(w, { extension: { onCall: ['42'] } })).toEqual({
      matched: false,
      reasons: ['extension onCall "no" is not one of 42'],
    });
  });

  it('a policy value with surrounding spaces still matches', () => {
    expect(matchCondition(worker(), { department: [' Engineering '] }).matched).toBe(true);
  });

  it('values compare lower-cased: "Straße" is not "STRASSE" (upper-casing would make them equal)', () => {
    expect(matchCondition(worker({ city: 'STRASSE' }), { city: ['Straße'] }).matched).toBe(false);
  });
});

describe('the reasons of a miss', () => {
  it('list every accepted value, for a field not set and for a field with another value', () => {
    expect(matchCondition(worker(), { company: ['Contoso', 'Fabrikam'] }).reasons).toEqual([
      'company is not set (wanted one of Contoso, Fabrikam)',
    ]);
    expect(matchCondition(worker(), { department: ['Sales', 'Finance'] }).reasons).toEqual([
      'department "Engineering" is not one of Sales, Finance',
    ]);
  });

  it('job title: not set, or not matching the pattern, and the match before it is forgotten', () => {
    expect(matchCondition(worker({ jobTitle: undefined }), { jobTitle: { pattern: 'lead' } })).toEqual({
      matched: false,
      reasons: ['job title is not set (wanted /lead/)'],
    });
    expect(
      matchCondition(worker({ jobTitle: 'Software Engineer' }), {
        department: ['Engineering'],
        jobTitle: { pattern: 'lead' },
      }),
    ).toEqual({ matched: false, reasons: ['job title "Software Engineer" does not match /lead/'] });
  });

  it('a missing job title never matches, even a pattern that the word "undefined" would', () => {
    const w: WorkerRecord = { ...worker(), jobTitle: undefined };
    expect(matchCondition(w, { jobTitle: { pattern: 'fine' } }).matched).toBe(false);
  });
});

describe('grants from several rules', () => {
  it('one group granted by two rules for the same reason: both rules, the reason once', () => {
    const policy = policyFrom(`
version: r
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
birthright:
  rules:
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: Engineering }] }
    - { id: eng-vpn, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: Engineering }] }
`);
    expect(evaluateBirthright(worker(), policy)).toEqual([
      {
        groupId: G(3),
        groupName: 'Engineering',
        ruleId: 'eng',
        ruleIds: ['eng', 'eng-vpn'],
        kind: 'birthright',
        reasons: ['department is Engineering'],
      },
    ]);
  });

  it('one group granted by two rules for different reasons: both reasons, in rule order', () => {
    const policy = policyFrom(`
version: r
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
birthright:
  rules:
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: Engineering }] }
    - { id: fr, when: { country: [FR] }, groups: [{ id: ${G(3)}, name: Engineering }] }
`);
    expect(evaluateBirthright(worker({ country: 'FR' }), policy).map((g) => [g.ruleIds, g.reasons])).toEqual([
      [
        ['eng', 'fr'],
        ['department is Engineering', 'country is FR'],
      ],
    ]);
  });

  it('a rule that lists a group twice is recorded once', () => {
    const policy = policyFrom(`
version: r
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
birthright:
  rules:
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: A }, { id: ${G(3)}, name: A }] }
`);
    expect(evaluateBirthright(worker(), policy).map((g) => g.ruleIds)).toEqual([['eng']]);
  });

  it('an add-on listed before the base licences does not stand for the base licence', () => {
    const policy = policyFrom(`
version: l
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
licenceGroups:
  - { id: ${G(20)}, name: Visio, sku: VISIOCLIENT, addOn: true }
  - { id: ${G(11)}, name: E3, sku: SPE_E3 }
`);
    expect(evaluateBirthright(worker(), policy).map((g) => [g.groupId, g.ruleId, g.sku])).toEqual([
      [G(20), 'licence:VISIOCLIENT', 'VISIOCLIENT'],
      [G(11), 'licence:SPE_E3', 'SPE_E3'],
    ]);
  });
});
