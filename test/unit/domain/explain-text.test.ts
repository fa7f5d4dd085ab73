import { describe, expect, it } from 'vitest';
import { explainGroups, renderExplanation } from '../../../shared/domain/explain';
import { G, policyFrom, worker } from './fixtures';

/** The explain command's sentences when several rules and reasons meet, or none (mutation testing, issue 15). */
const policy = policyFrom(`
version: e-1
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
birthright:
  rules:
    - id: eng-fr
      description: French engineers
      when: { department: [Engineering], country: [FR] }
      groups: [{ id: ${G(3)}, name: Engineering }]
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: Engineering }] }
`);

describe('explainGroups', () => {
  it('joins the rules with "and" and the reasons with commas; a rule without description is named alone', () => {
    expect(explainGroups(worker(), policy).map((g) => g.text)).toEqual([
      'Engineering: rule eng-fr (French engineers) and rule eng because department is Engineering, country is FR; ' +
        'policy e-1',
    ]);
  });
});

describe('renderExplanation', () => {
  it('says so when the policy gives the person no group', () => {
    expect(renderExplanation(worker({ department: 'Sales' }), policy)).toBe('E1001: no group from policy e-1');
  });
});
