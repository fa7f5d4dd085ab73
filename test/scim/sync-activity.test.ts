import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { ScimSyncOutcome, ScimSyncRequest } from '../../shared/ports/scim-sync';
import { scimSync } from '../../functions/activities/scim-sync';
import { upsert } from './sync-support';

/** The scimSync activity: parse, call the port, audit one row per push, return the outcome. */
const state = vi.hoisted(() => ({
  outcome: null as unknown,
  requests: [] as unknown[],
  audited: [] as unknown[],
}));

vi.mock('../../shared/services', () => ({
  services: () => ({
    scimSync: {
      sync: (request: ScimSyncRequest) => {
        state.requests.push(request);
        return Promise.resolve(state.outcome);
      },
    },
    auditLog: { append: (records: AuditRecord[]) => Promise.resolve(void state.audited.push(...records)) },
  }),
}));
vi.mock('durable-functions', () => ({ app: { activity: () => undefined } }));

beforeEach(() => {
  state.requests.length = 0;
  state.audited.length = 0;
});

describe('scimSync activity', () => {
  it('audits scim.<result> with the target, the SCIM id and the request ids in the correlation', async () => {
    const outcome: ScimSyncOutcome = {
      ok: true,
      targetId: 'app',
      result: 'created',
      scimId: 'u42',
      calls: [
        { method: 'GET', path: '/Users?filter=x', status: 200, requestId: null },
        { method: 'POST', path: '/Users', status: 201, requestId: 'req-1' },
      ],
    };
    state.outcome = outcome;
    const input = { ...upsert(), correlation: { eventId: 'e1', instanceId: 'person-E1001' } };
    expect(await scimSync(input)).toEqual(outcome);
    expect(state.audited).toHaveLength(1);
    expect(state.audited[0]).toMatchObject({
      action: 'scim.created',
      target: 'app',
      employeeId: 'E1001',
      outcome: 'success',
      after: { action: 'upsert', scimId: 'u42', calls: ['GET /Users?filter=x 200', 'POST /Users 201'] },
      correlation: { eventId: 'e1', instanceId: 'person-E1001', scimRequestId: 'req-1' },
    });
  });

  it('audits a failure with its detail and returns it (not thrown)', async () => {
    state.outcome = {
      ok: false,
      targetId: 'app',
      retryable: true,
      status: 429,
      retryAfterSeconds: 30,
      detail: 'GET /Users: HTTP 429',
      calls: [{ method: 'GET', path: '/Users', status: 429, requestId: null }],
    };
    expect(await scimSync(upsert())).toMatchObject({ ok: false, retryAfterSeconds: 30 });
    expect(state.audited).toHaveLength(1);
    expect(state.audited[0]).toMatchObject({
      action: 'scim.failed',
      outcome: 'failure',
      reason: 'GET /Users: HTTP 429',
    });
  });

  it('refuses an input that is not a ScimSyncRequest', async () => {
    await expect(scimSync({ targetId: 'app', action: 'upsert' })).rejects.toThrow(/invalid activity input/);
    expect(state.requests).toEqual([]);
  });
});
