import { describe, expect, it } from 'vitest';
import type { OperationIntake } from '../../shared/ports/bulk-request-store';
import { bulkRefusal, bulkStatusUrl, intakeAuditRows, tokenRefusal } from '../../shared/intake/bulk-responses';

/** The bulkUpload door's answers in Graph's error shape, and its audit rows. */
describe('bulkUpload refusals', () => {
  it('an OData error body; Retry-After in seconds only when given', () => {
    expect(bulkRefusal(429, 'TooManyRequests', 'Slow down.', 7)).toEqual({
      status: 429,
      headers: { 'retry-after': '7' },
      jsonBody: { error: { code: 'TooManyRequests', message: 'Slow down.' } },
    });
    expect(bulkRefusal(503, 'ServiceUnavailable', 'Later.')).toEqual({
      status: 503,
      headers: {},
      jsonBody: { error: { code: 'ServiceUnavailable', message: 'Later.' } },
    });
  });

  it('401 and 403 as Graph answers them', () => {
    expect(tokenRefusal(401)).toEqual({
      status: 401,
      headers: {},
      jsonBody: { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } },
    });
    expect(tokenRefusal(403)).toEqual({
      status: 403,
      headers: {},
      jsonBody: {
        error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
      },
    });
  });

  it('the status URL of a request', () => {
    expect(bulkStatusUrl('https://jml.example', 'r-1')).toBe('https://jml.example/api/hr/bulkUpload/r-1');
  });
});

describe('intakeAuditRows', () => {
  const operation = (over: Partial<OperationIntake>): OperationIntake => ({
    bulkId: 'b1',
    employeeId: 'E1',
    eventIds: ['ev-1', 'ev-2'],
    intake: 'queued',
    matched: true,
    managerEmployeeId: null,
    reason: null,
    warnings: [],
    ...over,
  });

  it('one row per operation under the caller, its outcome, reason and warnings, the last event id', () => {
    const at = new Date('2026-01-05T10:00:00Z');
    const rows = intakeAuditRows('r-1', 'app-1', at, [
      operation({ eventIds: ['ev-1', 'ev-2', 'ev-3'] }),
      operation({ bulkId: 'b2', intake: 'failed', reason: 'bad date', warnings: ['w1'], eventIds: [] }),
      operation({ bulkId: 'b3', intake: 'skipped', employeeId: null, warnings: ['w2', 'w3'] }),
    ]);
    expect(rows).toEqual([
      {
        at: '2026-01-05T10:00:00.000Z',
        actor: 'bulkUpload:app-1',
        action: 'bulkUpload.operation',
        employeeId: 'E1',
        target: 'entra-jml',
        outcome: 'success',
        reason: null,
        before: null,
        after: { requestId: 'r-1', bulkId: 'b1', eventIds: ['ev-1', 'ev-2', 'ev-3'], warnings: [] },
        correlation: { eventId: 'ev-3' },
      },
      expect.objectContaining({
        outcome: 'failure',
        reason: 'bad date; w1',
        correlation: {},
        after: { requestId: 'r-1', bulkId: 'b2', eventIds: [], warnings: ['w1'] },
      }),
      expect.objectContaining({ employeeId: null, outcome: 'skipped', reason: 'w2; w3' }),
    ]);
  });
});
