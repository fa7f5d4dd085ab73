import { describe, expect, it } from 'vitest';
import { scimDrift, TargetUser } from '../../shared/orchestration/scim-drift';

/** Reconcile's edge cases beyond fanout-drift.test.ts (mutation testing, issue 15). */
describe('scimDrift edges', () => {
  it('a person who should be inactive and is absent from the target is no drift', () => {
    expect(scimDrift([{ employeeId: 'F', active: false }], [])).toEqual([]);
  });

  it('an active user whose externalId names nobody we know is unknown, left to an administrator', () => {
    expect(scimDrift([], [{ externalId: 'E999', userName: 'ghost@x', active: true }])).toEqual([
      { employeeId: 'E999', userName: 'ghost@x', kind: 'unknown', repair: null },
    ]);
  });
});

describe('TargetUser', () => {
  it('is what a target lists of a user: externalId (or null), userName and active', () => {
    expect(TargetUser.parse({ externalId: null, userName: 'a@x', active: true, extra: 1 })).toEqual({
      externalId: null,
      userName: 'a@x',
      active: true,
    });
    expect(TargetUser.safeParse({ userName: 'a@x', active: true }).success).toBe(false);
    expect(TargetUser.safeParse({ externalId: 'E1', active: true }).success).toBe(false);
    expect(TargetUser.safeParse({ externalId: 'E1', userName: 'a@x' }).success).toBe(false);
  });
});
