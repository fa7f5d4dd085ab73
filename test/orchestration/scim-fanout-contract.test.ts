import { describe, expect, it } from 'vitest';
import {
  catchUpInstanceId,
  retryDelayMs,
  SCIM_BACKLOG_EVENT,
  SCIM_CATCH_UP,
  SCIM_FANOUT,
  SCIM_MAX_ATTEMPTS,
  SCIM_TARGET_SYNC,
  ScimFanoutInput,
  ScimTargetAttemptsInput,
  ScimTargetSyncInput,
  scimSeq,
} from '../../shared/orchestration/scim-fanout-contract';

/** The SCIM fan-out's names, inputs and retry schedule (pure: no host). */
describe('retryDelayMs', () => {
  it('doubles from 15 s, capped at 10 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, null))).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 600_000,
    ]);
    expect(retryDelayMs(20, undefined)).toBe(600_000);
  });

  it("is never shorter than the target's Retry-After (fractions of a second round up)", () => {
    expect(retryDelayMs(1, 20)).toBe(20_000);
    expect(retryDelayMs(1, 14)).toBe(15_000);
    expect(retryDelayMs(1, 15.0004)).toBe(15_001);
    expect(retryDelayMs(7, 900)).toBe(900_000);
  });

  it('eight attempts wait about 26 minutes in all', () => {
    expect(SCIM_MAX_ATTEMPTS).toBe(8);
    const total = Array.from({ length: SCIM_MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, null)).reduce(
      (a, b) => a + b,
    );
    expect(Math.round(total / 60_000)).toBe(26);
  });
});

describe('scimSeq', () => {
  it("orders by the clock, then the step's index (at most 99)", () => {
    expect(scimSeq(1_000, 0)).toBe(100_000);
    expect(scimSeq(1_000, 7)).toBe(100_007);
    expect(scimSeq(1_000, 250)).toBe(100_099);
    expect(scimSeq(1_000, 250)).toBeLessThan(scimSeq(1_001, 0));
  });
});

describe('names and inputs', () => {
  it('the orchestration, activity and event names, and one catch-up instance per target', () => {
    expect([SCIM_FANOUT, SCIM_TARGET_SYNC, SCIM_CATCH_UP, SCIM_BACKLOG_EVENT]).toEqual([
      'scimFanout',
      'scimTargetSync',
      'scimCatchUp',
      'scim-backlog',
    ]);
    expect(catchUpInstanceId('crm')).toBe('scim-catchup-crm');
  });

  it('inputs default the correlation and probe, and refuse an empty id or a negative seq', () => {
    const sync = { targetId: 'crm', employeeId: 'E1', userId: null, action: 'deactivate', seq: 0, mode: 'lifecycle' };
    expect(ScimTargetSyncInput.parse(sync)).toMatchObject({ correlation: {}, probe: false });
    expect(ScimTargetSyncInput.safeParse({ ...sync, targetId: '' }).success).toBe(false);
    expect(ScimTargetSyncInput.safeParse({ ...sync, employeeId: '' }).success).toBe(false);
    expect(ScimTargetSyncInput.safeParse({ ...sync, seq: -1 }).success).toBe(false);
    expect(ScimTargetSyncInput.safeParse({ ...sync, seq: 1.5 }).success).toBe(false);
    expect(ScimTargetSyncInput.safeParse({ ...sync, mode: 'other' }).success).toBe(false);
    expect(ScimTargetSyncInput.parse({ ...sync, mode: 'backlog', probe: true })).toMatchObject({ mode: 'backlog' });
    const correlation = { eventId: 'e1', instanceId: 'person-E1' };
    expect(ScimTargetSyncInput.parse({ ...sync, correlation }).correlation).toEqual(correlation);
    expect(ScimTargetSyncInput.safeParse({ ...sync, correlation: { eventId: 1 } }).success).toBe(false);
    expect(ScimFanoutInput.parse({ employeeId: 'E1', userId: 'u', actions: [], seq: 3 })).toMatchObject({
      correlation: {},
    });
    expect(ScimFanoutInput.safeParse({ employeeId: '', userId: 'u', actions: [], seq: 3 }).success).toBe(false);
    expect(ScimFanoutInput.safeParse({ employeeId: 'E1', userId: 'u', actions: [], seq: -1 }).success).toBe(false);
    const attempt = { ...sync, attempt: 1, lastAttempt: false };
    expect(ScimTargetAttemptsInput.safeParse({ at: 'now', syncs: [attempt] }).success).toBe(true);
    expect(ScimTargetAttemptsInput.safeParse({ at: 'now', syncs: [{ ...attempt, attempt: 0 }] }).success).toBe(false);
  });
});
