import { describe, expect, it } from 'vitest';
import { GUID, type Json, policyWith, problemsOf } from './policy-json';

/**
 * The numeric and length limits of the policy schema, each at its edge: the limit itself is accepted, one step past it
 * is refused at that field's path. Fields are set explicitly (a default is never validated, so it proves nothing).
 */

const app: Json = {
  id: 'crm',
  name: 'CRM',
  licenceGroups: [{ groupId: GUID, tier: 'Pro', seats: 5, unitPrice: 10, currency: 'EUR' }],
};

const scim = { scimTargets: [{ id: 'crm', name: 'CRM', baseUrl: 'https://crm.example/scim/v2' }] };
const licences = { licences: { apps: [app] } };

// [path, smallest accepted, largest accepted (undefined: no upper limit), context the path needs]
const NUMBER_LIMITS: [string, number, number | undefined, Json?][] = [
  ['upn.maxLocalPartLength', 8, 64],
  ['upn.firstSuffix', 1, 9],
  ['prehireDays', 0, 90],
  ['leaver.retentionDays', 0, 3650],
  ['mover.graceDays', 0, 365],
  ['deletionThreshold.maxPerHour', 1, undefined],
  ['deletionThreshold.maxPercent', 0, 100],
  ['deletionThreshold.percentAppliesFrom', 0, undefined],
  ['activation.otpTtlMinutes', 1, 1440],
  ['activation.otpLength', 6, 10],
  ['activation.otpMaxAttempts', 1, 20],
  ['activation.tapLifetimeMinutes', 10, 43200],
  ['activation.expiryDays', 1, 90],
  ['activation.reminderHours.0', 1, undefined],
  ['scimTargets.0.concurrency', 1, 64, scim],
  ['scimTargets.0.timeoutSeconds', 1, 120, scim],
  ['licences.idleDays', 1, 3650],
  ['licences.expiringWithinDays', 0, 365],
  ['licences.thresholds.utilisationBelow', 0, 1],
  ['licences.thresholds.availableBelow', 0, undefined],
  ['licences.remediation.maxChanges', 0, 100_000],
  ['licences.apps.0.licenceGroups.0.seats', 0, undefined, licences],
  ['licences.apps.0.licenceGroups.0.unitPrice', 0, undefined, licences],
  ['licences.costs.0.unitPrice', 0, undefined, { licences: { costs: [{ skuPartNumber: 'SPE_E3', currency: 'EUR' }] } }],
];

describe('policy number limits', () => {
  it.each(NUMBER_LIMITS)('%s accepts %d up to %s and refuses one step past', (path, min, max, extra = {}) => {
    const step = path.endsWith('utilisationBelow') ? 0.01 : 1;
    const within = max === undefined ? [min, min + 1000] : [min, max];
    for (const value of within) expect(problemsOf(policyWith(path, value, extra)), `${path} = ${value}`).toEqual([]);
    expect(problemsOf(policyWith(path, min - step, extra))).toEqual([
      `${path}: Too small: expected number to be >=${min}`,
    ]);
    if (max !== undefined)
      expect(problemsOf(policyWith(path, max + step, extra))).toEqual([
        `${path}: Too big: expected number to be <=${max}`,
      ]);
  });

  it('a rate per second is positive and at most 1000', () => {
    expect(problemsOf(policyWith('scimTargets.0.ratePerSecond', 0.5, scim))).toEqual([]);
    expect(problemsOf(policyWith('scimTargets.0.ratePerSecond', 1000, scim))).toEqual([]);
    expect(problemsOf(policyWith('scimTargets.0.ratePerSecond', 0, scim))).toEqual([
      'scimTargets.0.ratePerSecond: Too small: expected number to be >0',
    ]);
    expect(problemsOf(policyWith('scimTargets.0.ratePerSecond', 1001, scim))).toEqual([
      'scimTargets.0.ratePerSecond: Too big: expected number to be <=1000',
    ]);
  });

  it('counts of days, minutes and people are whole numbers', () => {
    expect(problemsOf(policyWith('prehireDays', 1.5))).toEqual([
      'prehireDays: Invalid input: expected int, received number',
    ]);
  });
});

// [path, shortest accepted, longest accepted, context the path needs]
const LENGTH_LIMITS: [string, number, number, Json?][] = [
  ['version', 1, 64],
  ['retiredGroups.0.name', 1, 256, { retiredGroups: [{ id: GUID }] }],
  ['licences.apps.0.licenceGroups.0.tier', 1, 64, licences],
  ['licences.apps.0.name', 1, 128, licences],
];

describe('policy text limits', () => {
  it.each(LENGTH_LIMITS)('%s takes %d to %d characters', (path, min, max, extra = {}) => {
    for (const length of [min, min + 1, max])
      expect(problemsOf(policyWith(path, 'x'.repeat(length), extra)), `${path}: ${length}`).toEqual([]);
    expect(problemsOf(policyWith(path, 'x'.repeat(min - 1), extra))).toEqual([
      `${path}: Too small: expected string to have >=${min} characters`,
    ]);
    expect(problemsOf(policyWith(path, 'x'.repeat(max + 1), extra))).toEqual([
      `${path}: Too big: expected string to have <=${max} characters`,
    ]);
  });

  it.each([
    ['birthright.rules.0.description', { birthright: { rules: [{ id: 'a', groups: [{ id: GUID, name: 'A' }] }] } }],
    ['licences.apps.0.licenceGroups.0.tier', licences],
    ['lifecycleWorkflows.tasks.0.match.taskDisplayName', { lifecycleWorkflows: { tasks: [{ run: 'leaver' }] } }],
    ['scimTargets.0.name', scim],
    ['upn.reservedWords.0', {}],
    ['birthright.rules.0.when.extension.costCode.0', { birthright: { rules: [{ id: 'a', groups: [] }] } }],
  ])('%s may not be empty', (path, extra) => {
    const problems = problemsOf(policyWith(path, '', extra));
    expect(problems).toContain(`${path}: Too small: expected string to have >=1 characters`);
  });
});

describe('policy list limits', () => {
  it.each([
    ['birthright.rules.0.groups', { birthright: { rules: [{ id: 'a' }] } }],
    ['birthright.rules.0.when.employmentType', { birthright: { rules: [{ id: 'a', groups: [] }] } }],
    ['licences.apps.0.licenceGroups', licences],
  ])('%s needs at least one item', (path, extra) => {
    expect(problemsOf(policyWith(path, [], extra))).toContain(`${path}: Too small: expected array to have >=1 items`);
  });
});
