import { describe, expect, it } from 'vitest';
import {
  catchUpInstanceId,
  nextRoundAfter,
  SCIM_BACKLOG_EVENT,
  SCIM_CATCH_UP,
  ScimTargetSyncInput,
  scimSeq,
  SENDER_LINGER_MS,
  senderPauseMs,
  senderRoundSize,
} from '../../shared/orchestration/scim-fanout-contract';

/** The SCIM fan-out's names, inputs and retry schedule (pure: no host). */
describe('senderPauseMs', () => {
  it('doubles from 1 s with each failed round in a row, capped at 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((rounds) => senderPauseMs(rounds))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000,
    ]);
    expect(senderPauseMs(40)).toBe(300_000);
    expect(senderPauseMs(0)).toBe(1_000);
  });
});

describe('nextRoundAfter', () => {
  const start = { cursor: null, failedRounds: 0, holdUntilMs: null };
  const sent = (sent: number, retry: number, retryAfterSeconds: number, more: boolean) =>
    ({ kind: 'sent', sent, retry, retryAfterSeconds, cursor: 'E80', more }) as const;

  it('goes straight on with the rest of the backlog after a round with a 429, holding its Retry-After', () => {
    expect(nextRoundAfter(sent(70, 10, 0.6, true), start, 10_000)).toEqual({
      startAtMs: 10_000,
      pace: { cursor: 'E80', failedRounds: 0, holdUntilMs: 10_600 },
    });
  });

  it('at the end of the backlog, waits out the latest Retry-After held, then starts again from the start', () => {
    const held = { cursor: 'E80', failedRounds: 0, holdUntilMs: 14_000 };
    expect(nextRoundAfter(sent(20, 1, 0.5, false), held, 11_000)).toEqual({
      startAtMs: 14_000,
      pace: { cursor: null, failedRounds: 0, holdUntilMs: null },
    });
    // The round's own Retry-After ends later than the one held: that one counts.
    expect(nextRoundAfter(sent(20, 1, 5, false), held, 11_000).startAtMs).toBe(16_000);
    // The end reported without sending (wrap: false, the hold not over): the hold's end, no linger.
    expect(nextRoundAfter(sent(0, 0, 0, false), held, 11_000).startAtMs).toBe(14_000);
    expect(nextRoundAfter(sent(0, 0, 0, false), held, 15_000).startAtMs).toBe(15_000);
  });

  it('a full round goes on at once from the cursor; at the end of the backlog the sender lingers a second', () => {
    expect(nextRoundAfter(sent(80, 0, 0, true), start, 5_000)).toEqual({
      startAtMs: 5_000,
      pace: { cursor: 'E80', failedRounds: 0, holdUntilMs: null },
    });
    expect(SENDER_LINGER_MS).toBe(1_000);
    expect(nextRoundAfter(sent(3, 0, 0, false), start, 5_000)).toEqual({ startAtMs: 6_000, pace: start });
    // A Retry-After held that ends within the linger adds nothing.
    expect(nextRoundAfter(sent(3, 0, 0, false), { ...start, holdUntilMs: 5_500 }, 5_000).startAtMs).toBe(6_000);
    // Nothing sent, nothing held (an empty round): at once.
    expect(nextRoundAfter(sent(0, 0, 0, false), start, 5_000).startAtMs).toBe(5_000);
  });

  it('a round that got nothing through waits its Retry-After, or backs off longer with each such round', () => {
    expect(nextRoundAfter(sent(0, 5, 0, false), start, 0)).toEqual({
      startAtMs: 1_000,
      pace: { cursor: null, failedRounds: 1, holdUntilMs: null },
    });
    expect(nextRoundAfter(sent(0, 5, 0, true), { ...start, failedRounds: 2 }, 0)).toEqual({
      startAtMs: 4_000,
      pace: { cursor: 'E80', failedRounds: 3, holdUntilMs: null },
    });
    expect(nextRoundAfter(sent(0, 5, 30, false), start, 0).startAtMs).toBe(30_000);
    // A Retry-After is taken at its word, however many rounds in a row got nothing through.
    expect(nextRoundAfter(sent(0, 1, 1, false), { ...start, failedRounds: 5 }, 0)).toEqual({
      startAtMs: 1_000,
      pace: { cursor: null, failedRounds: 6, holdUntilMs: null },
    });
    // A Retry-After held from an earlier round that ends later still counts.
    expect(nextRoundAfter(sent(0, 5, 0, false), { ...start, holdUntilMs: 7_000 }, 0).startAtMs).toBe(7_000);
  });
});

describe('senderRoundSize', () => {
  it('ten people per request in flight, between 10 and 100', () => {
    expect([undefined, 1, 4, 8, 10, 50].map(senderRoundSize)).toEqual([40, 10, 40, 80, 100, 100]);
    expect(senderRoundSize(0)).toBe(10);
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
  it("the sender's orchestration and event names, and one sender instance per target", () => {
    expect([SCIM_CATCH_UP, SCIM_BACKLOG_EVENT]).toEqual(['scimCatchUp', 'scim-backlog']);
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
  });
});
