import { describe, expect, it } from 'vitest';
import { ScimSyncOutcome, ScimSyncRequest } from '../../shared/ports/scim-sync';
import { crashedSyncOutcome, SENDER_LEASE_MS, scimSyncRequest } from '../../shared/orchestration/scim-fanout-contract';
import { worker } from './person-state-fixtures';

/** What the fan-out asks scimSync for, and what it records when scimSync throws instead of answering. */
describe('scimSyncRequest', () => {
  const input = {
    targetId: 'crm',
    employeeId: 'E1',
    userId: 'u-1',
    action: 'upsert' as const,
    correlation: { eventId: 'e1', instanceId: 'person-E1' },
  };

  it('carries the target, person, action and correlation, and the record when there is one', () => {
    const record = worker();
    const request = scimSyncRequest({ ...input, record });
    expect(request).toEqual({ ...input, record });
    // The activity's own boundary (a strict schema) accepts what the fan-out sends.
    expect(ScimSyncRequest.parse(request)).toEqual(request);
  });

  it('leaves the record out (not undefined) when there is none, so the strict request schema still accepts it', () => {
    const request = scimSyncRequest({ ...input, action: 'delete', userId: null });
    expect(request).toEqual({ ...input, action: 'delete', userId: null });
    expect(Object.keys(request)).not.toContain('record');
    expect(ScimSyncRequest.parse(request)).toEqual(request);
  });
});

describe('crashedSyncOutcome', () => {
  it('turns a throw into a retryable failure with no status, no Retry-After and no call made', () => {
    const outcome = crashedSyncOutcome('crm', new Error('boom'));
    expect(outcome).toEqual({
      ok: false,
      targetId: 'crm',
      retryable: true,
      status: null,
      retryAfterSeconds: null,
      detail: 'scimSync failed: boom',
      calls: [],
    });
    expect(ScimSyncOutcome.parse(outcome)).toEqual(outcome);
  });

  it('keeps the detail to 500 characters, whatever the length of the message thrown', () => {
    const outcome = crashedSyncOutcome('crm', new Error('x'.repeat(2_000)));
    if (outcome.ok) throw new Error('a crash is a failure');
    expect(outcome.detail).toHaveLength(500);
    expect(outcome.detail.startsWith('scimSync failed: xxx')).toBe(true);
  });
});

describe('SENDER_LEASE_MS', () => {
  it('is two minutes: the sender looks again within it of its last round (SenderState.until)', () => {
    expect(SENDER_LEASE_MS).toBe(120_000);
  });
});
