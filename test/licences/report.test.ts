import { describe, expect, it } from 'vitest';
import { buildLicenceReport } from '../../shared/licences/report';
import type { ProductDay } from '../../shared/licences/forecast';
import type { Problem, ProblemKind } from '../../shared/licences/problems';
import { ACME_PRO, ACME_STD, E3, E3_GROUP, E5, NOW, groupE3, policy, snapshot, uid, user } from './fixtures';

function report(change?: Parameters<typeof snapshot>[0], history: ProductDay[] = [], extraPolicy = {}) {
  return buildLicenceReport({ snapshot: snapshot(change), policy: policy(extraPolicy), history, now: NOW });
}

function only(kind: ProblemKind, problems: Problem[]): Problem {
  const found = problems.filter((p) => p.kind === kind);
  expect(found, `problems of kind ${kind}`).toHaveLength(1);
  return found[0]!;
}

const ids = (problem: Problem) => problem.people.map((p) => p.id).sort();

describe('licence report on crafted tenants', () => {
  it('a clean tenant yields no problem', () => {
    const r = report();
    expect(r.problems).toEqual([]);
    expect(r.totals.peopleWithProblems).toBe(0);
  });

  it('counts purchased, assigned and consumed per SKU and per app tier, with costs', () => {
    const r = report();
    const e3 = r.products.find((p) => p.key === 'sku:SPE_E3')!;
    expect(e3).toMatchObject({ purchased: 4, assigned: 3, consumed: 3, available: 1, utilisation: 0.75 });
    expect(e3.monthlyCost).toBe(132);
    const e5 = r.products.find((p) => p.key === 'sku:SPE_E5')!;
    expect(e5).toMatchObject({ purchased: 2, warning: 1, assigned: 0 });
    const pro = r.products.find((p) => p.key === 'app:acme:Pro')!;
    expect(pro).toMatchObject({ kind: 'app', purchased: 10, assigned: 1, consumed: 1, available: 9, unitPrice: 30 });
    // The unlicensed (admin) group holds no seat.
    expect(r.products.filter((p) => p.kind === 'app').reduce((s, p) => s + p.assigned, 0)).toBe(2);
    expect(r.totals.currency).toBe('EUR');
  });

  it('group-based licensing errors, grouped by SKU, group and error, with the people', () => {
    const r = report((t) => {
      t.users.push(
        user(4, {
          licenseAssignmentStates: [{ skuId: E3, assignedByGroup: E3_GROUP, state: 'Error', error: 'CountViolation' }],
        }),
        user(5, {
          usageLocation: null,
          licenseAssignmentStates: [
            { skuId: E3, assignedByGroup: E3_GROUP, state: 'Error', error: 'UsageLocationNotAllowed' },
          ],
        }),
      );
    });
    const errors = r.problems.filter((p) => p.kind === 'licensing-error');
    expect(errors.map((p) => p.detail)).toEqual([
      expect.stringContaining('CountViolation (not enough licences'),
      expect.stringContaining('UsageLocationNotAllowed (no usage location'),
    ]);
    expect(errors[0]!.groups).toEqual([E3_GROUP]);
    expect(ids(errors[0]!)).toEqual([uid(4)]);
  });

  it('direct assignments, naming the policy group to move them to', () => {
    const r = report((t) => {
      t.users[0] = user(1, {
        assignedSkuIds: [E3],
        licenseAssignmentStates: [{ skuId: E3, assignedByGroup: null, state: 'Active', error: 'None' }],
      });
    });
    const p = only('direct-assignment', r.problems);
    expect(p.detail).toContain('Licence - Microsoft 365 E3');
    expect(p.groups).toEqual([E3_GROUP]);
    expect(ids(p)).toEqual([uid(1)]);
  });

  it('two SKUs sharing service plans (E3 + E5), priced at the cheaper one', () => {
    const r = report((t) => {
      t.users[0] = groupE3(1, {
        assignedSkuIds: [E3, E5],
        licenseAssignmentStates: [
          { skuId: E3, assignedByGroup: E3_GROUP, state: 'Active', error: 'None' },
          { skuId: E5, assignedByGroup: 'a0000000-0000-4000-8000-000000000099', state: 'Active', error: 'None' },
        ],
      });
    });
    const p = only('overlapping-skus', r.problems);
    expect(p.products).toEqual(['sku:SPE_E3', 'sku:SPE_E5']);
    expect(p.detail).toContain('EXCHANGE_S_ENTERPRISE');
    expect(p).toMatchObject({ monthlyCost: 33, currency: 'EUR' });
  });

  it('two tiers of the same app', () => {
    const r = report((t) => {
      t.groupMembers![ACME_STD] = [uid(2), uid(1)];
    });
    const p = only('duplicate-app-tiers', r.problems);
    expect(p.groups.sort()).toEqual([ACME_PRO, ACME_STD].sort());
    expect(ids(p)).toEqual([uid(1)]);
    expect(p.monthlyCost).toBe(10);
  });

  it('disabled and departed accounts holding licences and seats', () => {
    const r = report((t) => {
      t.users[0] = groupE3(1, { accountEnabled: false });
      t.users[1] = groupE3(2, { employeeLeaveDateTime: '2026-02-15T00:00:00Z' });
    });
    const departed = r.problems.filter((p) => p.kind === 'departed-holder');
    expect(departed.map((p) => p.products[0]).sort()).toEqual(['app:acme:Pro', 'app:acme:Standard', 'sku:SPE_E3']);
    const e3 = departed.find((p) => p.products[0] === 'sku:SPE_E3')!;
    expect(e3.people.map((p) => p.note)).toEqual(['account disabled', 'left on 2026-02-15']);
    expect(e3.monthlyCost).toBe(66);
  });

  it('deleted (unknown) accounts still in a licence group', () => {
    const gone = 'e0000000-0000-4000-8000-0000000000ff';
    const r = report((t) => {
      t.groupMembers![ACME_PRO] = [uid(1), gone];
    });
    const p = only('unknown-holder', r.problems);
    expect(ids(p)).toEqual([gone]);
    expect(p.monthlyCost).toBe(30);
  });

  it("people in a licence group outside the app's scope, with the reason", () => {
    const r = report((t) => {
      t.groupMembers![ACME_PRO] = [uid(1), uid(3)];
    });
    const p = only('out-of-scope', r.problems);
    expect(ids(p)).toEqual([uid(3)]);
    expect(p.people[0]!.note).toContain('department "Sales" is not one of Engineering');
  });

  it('the scope of a SCIM target applies when the app names it', () => {
    const scim = {
      scimTargets: [{ id: 'acme', name: 'Acme', baseUrl: 'https://acme.example/scim/v2', when: { country: ['FR'] } }],
    };
    const base = policy().licences!;
    const { when: _when, ...app } = base.apps[0]!;
    const r = report(
      (t) => {
        t.users[0] = groupE3(1, { country: 'DE', usageLocation: 'DE' });
      },
      [],
      { ...scim, licences: { ...base, apps: [{ ...app, scimTargetId: 'acme' }] } },
    );
    expect(ids(only('out-of-scope', r.problems))).toEqual([uid(1)]);
  });

  it('idle seats from sign-in activity, with their cost; never-signed-in counts from creation', () => {
    const r = report((t) => {
      t.users[0] = groupE3(1, { lastSignInDateTime: '2025-12-01T00:00:00Z' });
      t.users[1] = groupE3(2, { lastSignInDateTime: null, createdDateTime: '2026-02-20T00:00:00Z' });
    });
    const idle = r.problems.filter((p) => p.kind === 'idle-seat');
    expect(idle.map((p) => p.products[0]).sort()).toEqual(['app:acme:Pro', 'sku:SPE_E3']);
    expect(idle.find((p) => p.products[0] === 'sku:SPE_E3')).toMatchObject({ monthlyCost: 33 });
    expect(r.products.find((p) => p.key === 'sku:SPE_E3')).toMatchObject({ idle: 1, idleMonthlyCost: 33 });
    expect(r.totals.reclaimableMonthlyCost).toBe(63);
  });

  it('idle app seats from a usage export take precedence over sign-ins', () => {
    const r = report((t) => {
      t.usage = [
        { appId: 'acme', userPrincipalName: 'USER1@contoso.com', lastUsedAt: '2026-02-28' },
        { appId: 'acme', userPrincipalName: 'user2@contoso.com', lastUsedAt: '2025-10-01' },
      ];
    });
    const p = only('idle-seat', r.problems);
    expect(p.products).toEqual(['app:acme:Standard']);
    expect(ids(p)).toEqual([uid(2)]);
    expect(r.products.find((x) => x.key === 'app:acme:Standard')).toMatchObject({ assigned: 1, consumed: 0 });
  });

  it('without signInActivity nor usage, no seat is called idle', () => {
    const r = report((t) => {
      t.signInActivityAvailable = false;
      t.users[0] = groupE3(1, { lastSignInDateTime: null, createdDateTime: '2020-01-01T00:00:00Z' });
    });
    expect(r.problems).toEqual([]);
    expect(r.signInActivityAvailable).toBe(false);
  });

  it('a configured group the directory does not have', () => {
    const r = report((t) => {
      t.missingGroups = [ACME_STD];
    });
    const p = only('missing-group', r.problems);
    expect(p).toMatchObject({ products: ['app:acme:Standard'], groups: [ACME_STD], people: [] });
  });

  it('time-limited memberships expiring soon, and expired ones still held', () => {
    const r = report((t) => {
      t.timeLimited = [
        { groupId: ACME_PRO, userId: uid(1), endDateTime: '2026-03-05T00:00:00Z' },
        { groupId: ACME_STD, userId: uid(2), endDateTime: '2026-02-01T00:00:00Z' },
        { groupId: ACME_STD, userId: uid(9), endDateTime: '2026-02-01T00:00:00Z' },
        { groupId: ACME_PRO, userId: uid(1), endDateTime: '2026-12-01T00:00:00Z' },
      ];
    });
    expect(ids(only('expiring-membership', r.problems))).toEqual([uid(1)]);
    const expired = only('expired-membership', r.problems);
    expect(ids(expired)).toEqual([uid(2)]);
    expect(expired.monthlyCost).toBe(10);
  });

  it('segments by department, country, cost centre and user type', () => {
    const r = report((t) => {
      t.users[0] = groupE3(1, { lastSignInDateTime: '2025-01-01T00:00:00Z' });
    });
    expect(r.segments.department).toEqual([
      { value: 'Engineering', holders: 2, licences: 4, monthlyCost: 106, idle: 1, problems: 1 },
      { value: 'Sales', holders: 1, licences: 1, monthlyCost: 33, idle: 0, problems: 0 },
    ]);
    expect(r.segments.country.map((s) => s.value)).toEqual(['FR', 'DE']);
    expect(r.segments.costCenter.map((s) => s.value)).toEqual(['CC-1', 'CC-2']);
    expect(r.segments.userType).toEqual([expect.objectContaining({ value: 'Member', holders: 3 })]);
  });

  it('forecasts exhaustion from the daily history and prices the gap', () => {
    const history: ProductDay[] = [
      { date: '2026-02-27', key: 'sku:SPE_E3', name: 'SPE_E3', purchased: 4, assigned: 1, consumed: 1 },
      { date: '2026-02-28', key: 'sku:SPE_E3', name: 'SPE_E3', purchased: 4, assigned: 2, consumed: 2 },
    ];
    const r = report(undefined, history);
    const e3 = r.products.find((p) => p.key === 'sku:SPE_E3')!;
    expect(e3.forecast).toEqual({
      growthPerDay: 1,
      daysUntilExhausted: 1,
      exhaustedOn: '2026-03-02',
      assignedIn30Days: 33,
      gap: 1,
      monthlyGapCost: 33,
    });
    expect(r.trend.filter((d) => d.key === 'sku:SPE_E3').map((d) => d.assigned)).toEqual([1, 2, 3]);
    // No history: no growth known, so no exhaustion date unless already exhausted.
    expect(report().products.find((p) => p.key === 'sku:SPE_E3')!.forecast.daysUntilExhausted).toBeNull();
  });

  it('thresholds crossed: under-used and running out', () => {
    const r = report(undefined, [], {});
    expect(r.thresholds.map((t) => `${t.product} ${t.rule}`)).toEqual([
      'sku:SPE_E5 utilisationBelow',
      'sku:VISIOCLIENT utilisationBelow',
    ]);
    const full = report((t) => {
      t.skus[0]!.prepaidUnits.enabled = 3;
    });
    expect(full.thresholds.map((t) => `${t.product} ${t.rule}`)).toContain('sku:SPE_E3 availableBelow');
  });
});
