import { describe, expect, it } from 'vitest';
import { BulkAdmission } from '../../shared/intake/bulk-admission';
import { operationStatus, summarize } from '../../shared/intake/bulk-outcome';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { OperationIntake } from '../../shared/ports/bulk-request-store';
import type { QueueBacklog } from '../../shared/ports/queue-backlog';

const queued = (eventIds: string[], extra: Partial<OperationIntake> = {}): OperationIntake => ({
  bulkId: 'b1',
  employeeId: 'E1',
  eventIds,
  intake: 'queued',
  matched: false,
  managerEmployeeId: null,
  reason: 'queued as hire (new user)',
  warnings: [],
  ...extra,
});

let clock = 0;
const row = (action: string, eventId: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  at: new Date(Date.UTC(2026, 10, 25, 8, 0, clock++)).toISOString(),
  actor: 'orchestration',
  action,
  employeeId: 'E1',
  target: 'entra',
  outcome: 'success',
  reason: null,
  before: null,
  after: null,
  correlation: { eventId, instanceId: 'person-E1' },
  ...extra,
});

describe('operation outcome from the audit rows of its events', () => {
  it('is pending until the last step of every event is audited, then created', () => {
    const op = queued(['e1']);
    expect(operationStatus(op, []).outcome).toBe('pending');
    const created = row('joiner.createUser', 'e1', { after: { id: 'u1' } });
    expect(operationStatus(op, [row('hr-event.hire', 'e1'), created])).toMatchObject({
      outcome: 'pending',
      reason: 'in progress',
    });
    const done = operationStatus(op, [created, row('access.apply', 'e1', { after: { add: ['g1'], manager: null } })]);
    expect(done).toMatchObject({ outcome: 'created', reason: 'account created' });
    expect(done.steps.map((s) => s.action)).toEqual(['joiner.createUser', 'access.apply']);
  });

  it('ignores rows of other events and of the intake doors', () => {
    const status = operationStatus(queued(['e1']), [
      row('bulkUpload.operation', 'e1'),
      row('joiner.createUser', 'other'),
      row('access.apply', 'e1', { after: { add: [], remove: [] } }),
    ]);
    expect(status).toMatchObject({
      outcome: 'unchanged',
      steps: [expect.objectContaining({ action: 'access.apply' })],
    });
  });

  it('tells updated from unchanged', () => {
    const op = queued(['e1']);
    const noop = [
      row('mover.updateUser', 'e1', { outcome: 'skipped', after: {} }),
      row('access.apply', 'e1', { before: { manager: 'm1' }, after: { add: [], remove: [], manager: 'm1' } }),
    ];
    expect(operationStatus(op, noop).outcome).toBe('unchanged');
    const changed = [row('mover.updateUser', 'e1', { after: { department: 'Tour Ops' } }), noop[1]!];
    expect(operationStatus(op, changed)).toMatchObject({ outcome: 'updated', reason: 'changed by mover.updateUser' });
  });

  it('reports decisions that needed no step: nothing to do, scheduled, skipped', () => {
    const decision = (reason: string) => [row('hr-event', 'e1', { outcome: 'skipped', reason })];
    const op = queued(['e1']);
    expect(
      operationStatus(op, decision('hire for an already hired person with identical data: nothing to do')),
    ).toMatchObject({ outcome: 'unchanged' });
    expect(operationStatus(op, decision('joiner scheduled for 2027-01-04T08:00:00.000Z')).outcome).toBe('scheduled');
    expect(operationStatus(op, decision('terminate for an unknown person: recorded and ignored')).outcome).toBe(
      'skipped',
    );
  });

  it('is failed on a failure row, or when the lifecycle stopped before finishing', () => {
    const op = queued(['e1']);
    expect(
      operationStatus(op, [
        row('access.apply', 'e1', { outcome: 'failure', reason: 'add g1: Request_ResourceNotFound' }),
      ]),
    ).toMatchObject({ outcome: 'failed', reason: 'access.apply: add g1: Request_ResourceNotFound' });
    expect(operationStatus(op, [], { reason: "the person's lifecycle failed: boom" })).toMatchObject({
      outcome: 'failed',
      reason: "the person's lifecycle failed: boom",
    });
  });

  it('needs both events of an update-then-deactivate operation', () => {
    const op = queued(['e1u', 'e1'], { matched: true });
    const update = [row('mover.updateUser', 'e1u', { after: { department: 'Tour Ops' } }), row('access.apply', 'e1u')];
    expect(operationStatus(op, update).outcome).toBe('pending');
    expect(operationStatus(op, [...update, row('leaver.removeAccess', 'e1')]).outcome).toBe('updated');
  });

  it('keeps intake failures and skips as they were decided, and notes a manager still unassigned', () => {
    expect(operationStatus(queued([], { intake: 'failed', reason: 'data.externalId: Required' }), [])).toMatchObject({
      outcome: 'failed',
      reason: 'data.externalId: Required',
    });
    const withManager = queued(['e1'], { managerEmployeeId: 'M1' });
    const status = operationStatus(withManager, [
      row('joiner.createUser', 'e1'),
      row('access.apply', 'e1', { after: { add: [], remove: [], manager: null } }),
    ]);
    expect(status.warnings).toEqual([
      'manager M1 had no account yet when access was applied: assigned at the next manager check',
    ]);
    expect(summarize([status, operationStatus(queued(['e2']), [])])).toEqual({
      completed: false,
      counts: { created: 1, pending: 1 },
    });
  });
});

describe('bulkUpload back-pressure', () => {
  const settings = { queueName: 'hr-events', maxRequestsPerSecond: 2, maxQueueBacklog: 100, retryAfterSeconds: 30 };
  const backlogOf = (active: () => number): QueueBacklog & { reads: number } => {
    const port = { reads: 0, activeMessages: async () => (port.reads++, active()) };
    return port;
  };

  it('answers 429 past the requests per second of one app, others unaffected, and again after a second', async () => {
    let now = 0;
    const admission = new BulkAdmission(
      backlogOf(() => 0),
      settings,
      () => now,
    );
    expect(await admission.admit('app1')).toEqual({ ok: true });
    expect(await admission.admit('app1')).toEqual({ ok: true });
    expect(await admission.admit('app1')).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect(await admission.admit('app2')).toEqual({ ok: true });
    now = 1000;
    expect(await admission.admit('app1')).toEqual({ ok: true });
  });

  it('answers 429 with the configured Retry-After once the queue backlog reaches the limit', async () => {
    let now = 0;
    let active = 99;
    const backlog = backlogOf(() => active);
    const admission = new BulkAdmission(backlog, { ...settings, maxRequestsPerSecond: 1000 }, () => now);
    expect(await admission.admit('app1')).toEqual({ ok: true });
    active = 100;
    // The reading is reused within a second (one management call per second at most).
    expect(await admission.admit('app1')).toEqual({ ok: true });
    expect(backlog.reads).toBe(1);
    now = 1000;
    expect(await admission.admit('app1')).toEqual({
      ok: false,
      retryAfterSeconds: 30,
      reason: 'the HR events queue is saturated (100 messages waiting; limit 100)',
    });
  });

  it('admits with a warning when the backlog cannot be read', async () => {
    const admission = new BulkAdmission(
      {
        activeMessages: async () => {
          throw new Error('Unauthorized: Manage claim required');
        },
      },
      settings,
    );
    expect(await admission.admit('app1')).toEqual({
      ok: true,
      warning: 'queue backlog unknown: Unauthorized: Manage claim required',
    });
  });
});
