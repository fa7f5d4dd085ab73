import { describe, expect, it } from 'vitest';
import { operationStatus, summarize } from '../../shared/intake/bulk-outcome';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { OperationIntake } from '../../shared/ports/bulk-request-store';

const queued = (eventIds: string[], extra: Partial<OperationIntake> = {}): OperationIntake => ({
  bulkId: 'b1',
  employeeId: 'E1',
  eventIds,
  intake: 'queued',
  matched: true,
  managerEmployeeId: null,
  reason: 'queued as update',
  warnings: [],
  ...extra,
});
const row = (action: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  at: '2026-11-25T08:00:00.000Z',
  actor: 'orchestration',
  action,
  employeeId: 'E1',
  target: 'entra',
  outcome: 'success',
  reason: null,
  before: null,
  after: null,
  correlation: { eventId: 'e1' },
  ...extra,
});
const outcomeOf = (...rows: AuditRecord[]) => operationStatus(queued(['e1']), rows);
const accessNoop = row('access.apply', { after: { add: [], remove: [] } });

/** The edges of a bulkUpload operation's outcome: what counts as a change, a decision, a warning, the end. */
describe('bulkUpload operation outcome edges', () => {
  it('each final action ends the event; other steps leave it pending, with its reason', () => {
    for (const action of ['access.apply', 'leaver.removeAccess', 'hr-event', 'enableUser', 'disableUser'])
      expect(outcomeOf(row(action, { outcome: 'skipped' })).outcome).not.toBe('pending');
    expect(outcomeOf(row('joiner.createUser'))).toMatchObject({ outcome: 'pending', reason: 'in progress' });
    expect(outcomeOf()).toMatchObject({ outcome: 'pending', reason: 'queued', steps: [] });
    expect(operationStatus(queued(['e1']), [], null)).toMatchObject({ outcome: 'pending' });
  });

  it('rows without an event id, of other events, and of the doors are not its steps', () => {
    const status = operationStatus(queued(['e1']), [
      row('joiner.createUser', { correlation: {} }),
      row('hr-event.received'),
      row('bulkUpload.operation'),
      accessNoop,
    ]);
    expect(status.steps.map((s) => s.action)).toEqual(['access.apply']);
    expect(status).toMatchObject({ outcome: 'unchanged', reason: 'the directory already matched' });
  });

  it('what changed the directory, and what did not', () => {
    const changed = (r: AuditRecord) => outcomeOf(r, accessNoop).outcome;
    expect(changed(row('joiner.converge', { after: { department: 'Ops' } }))).toBe('updated');
    expect(changed(row('joiner.converge', { after: {} }))).toBe('unchanged');
    expect(changed(row('joiner.converge', { after: [] }))).toBe('unchanged');
    expect(changed(row('joiner.converge', { after: ['x'] }))).toBe('updated');
    expect(changed(row('mover.updateUser', { outcome: 'skipped', after: { department: 'Ops' } }))).toBe('unchanged');
    for (const action of ['enableUser', 'disableUser', 'rehire.restoreUser', 'deleteUser', 'leaver.removeAccess'])
      expect(changed(row(action))).toBe('updated');
    expect(changed(row('licence.check'))).toBe('unchanged');
    expect(changed(row('joiner.createUser', { outcome: 'skipped' }))).toBe('unchanged');
  });

  it('access changes: groups removed, or a new manager; not the same manager again', () => {
    expect(outcomeOf(row('access.apply', { after: { remove: ['g1'] } }))).toMatchObject({
      outcome: 'updated',
      reason: 'changed by access.apply',
    });
    expect(outcomeOf(row('access.apply', { after: { add: ['g1'] } })).outcome).toBe('updated');
    expect(outcomeOf(row('access.apply', { after: { manager: 'm2' }, before: { manager: 'm1' } })).outcome).toBe(
      'updated',
    );
    expect(outcomeOf(row('access.apply', { after: { manager: 'm1' }, before: { manager: 'm1' } })).outcome).toBe(
      'unchanged',
    );
    expect(outcomeOf(row('access.apply', { after: { manager: 'm1' } })).outcome).toBe('updated');
    expect(outcomeOf(row('access.apply')).outcome).toBe('unchanged');
  });

  it('names each changing action once, in order', () => {
    const status = outcomeOf(
      row('mover.updateUser', { after: { a: 1 } }),
      row('mover.updateUser', { after: { b: 1 } }),
      row('access.apply', { after: { add: ['g1'] } }),
    );
    expect(status.reason).toBe('changed by mover.updateUser, access.apply');
  });

  it('a decision: the most telling one wins; each kind of skip', () => {
    const decision = (reason: string | null) => row('hr-event', { outcome: 'skipped', reason });
    expect(outcomeOf(decision('nothing to do'), decision('Scheduled for 2027-01-04'))).toMatchObject({
      outcome: 'scheduled',
      reason: 'Scheduled for 2027-01-04',
    });
    expect(outcomeOf(decision('nothing to do'), decision('also nothing'))).toMatchObject({
      outcome: 'unchanged',
      reason: 'nothing to do',
    });
    expect(outcomeOf(decision(null))).toMatchObject({ outcome: 'unchanged', reason: null });
    for (const reason of [
      'terminate for an unknown person',
      'update for a person never hired',
      'invalid event: bad date',
      'ignored (stale)',
      'event is for E2 not E1',
    ])
      expect(outcomeOf(decision(reason)).outcome).toBe('skipped');
    expect(outcomeOf(decision('ignored because'))).toMatchObject({ outcome: 'unchanged' });
  });

  it('a failed licence check is a warning; any other failure fails, with "failed" when no reason', () => {
    const status = outcomeOf(row('licence.check', { outcome: 'failure', reason: null }), accessNoop);
    expect(status).toMatchObject({ outcome: 'unchanged', warnings: ['licence.check: failed'] });
    expect(outcomeOf(row('licence.check', { outcome: 'failure', reason: 'no seats' }), accessNoop).warnings).toEqual([
      'licence.check: no seats',
    ]);
    expect(outcomeOf(row('mover.updateUser', { outcome: 'failure' }))).toMatchObject({
      outcome: 'failed',
      reason: 'mover.updateUser: failed',
    });
  });

  it('the manager warning: only with access applied and no manager, never twice; the intake list is copied', () => {
    const warnings = ['manager M1 is not in this request'];
    const op = queued(['e1'], { managerEmployeeId: 'M1', warnings });
    expect(operationStatus(op, [accessNoop]).warnings).toEqual(warnings);
    const fresh = queued(['e1'], { managerEmployeeId: 'M1' });
    expect(operationStatus(fresh, [row('access.apply', { after: { manager: 'u-m1' } })]).warnings).toEqual([]);
    expect(operationStatus(fresh, [row('hr-event', { reason: 'nothing to do' })]).warnings).toEqual([]);
    expect(operationStatus(queued(['e1']), [accessNoop]).warnings).toEqual([]);
    operationStatus(queued(['e1'], { warnings }), [row('licence.check', { outcome: 'failure' }), accessNoop]);
    expect(warnings).toEqual(['manager M1 is not in this request']);
  });

  it('a skipped intake keeps its reason and has no steps', () => {
    expect(operationStatus(queued(['e1'], { intake: 'skipped', reason: 'no change' }), [accessNoop])).toEqual({
      bulkId: 'b1',
      employeeId: 'E1',
      warnings: [],
      outcome: 'skipped',
      reason: 'no change',
      steps: [],
    });
  });

  it('summarize: counts per outcome, completed once nothing is pending', () => {
    const done = outcomeOf(accessNoop);
    expect(summarize([done, done, outcomeOf(row('enableUser'))])).toEqual({
      completed: true,
      counts: { unchanged: 2, updated: 1 },
    });
    expect(summarize([])).toEqual({ completed: true, counts: {} });
    expect(summarize([done, outcomeOf()]).completed).toBe(false);
  });
});
