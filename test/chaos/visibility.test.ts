import { describe, expect, it } from 'vitest';
import { invisibleFailures, visibleRecord, type FailureRecords } from '../../local/chaos/visibility';

const none: FailureRecords = { deadLetters: [], failedRuns: [], failureRows: [] };

describe('chaos check: every failure is visible', () => {
  it('reports a lost event and a diverged person that no record explains', () => {
    const invisible = invisibleFailures(
      { lostEvents: ['K0P1: K0P1-t not handled'], divergedPersons: ['K0P2: enabled true ≠ false'] },
      () => ({ runtimeStatus: 'Running', problems: [] }),
      none,
      ['K0P1', 'K0P2'],
    );
    expect(invisible).toEqual([
      expect.stringMatching(/^lost K0P1: K0P1-t not handled \(no dead letter/),
      expect.stringMatching(/^diverged K0P2: enabled true ≠ false \(no dead letter/),
    ]);
  });

  it('reports a Failed run without its error, not one with it', () => {
    const statusOf = () => ({ runtimeStatus: 'Failed' });
    const failedRun = { employeeId: 'K0P3', instanceId: 'person-K0P3', error: null };
    expect(
      invisibleFailures({ lostEvents: [], divergedPersons: [] }, statusOf, { ...none, failedRuns: [failedRun] }, [
        'K0P3',
      ]),
    ).toEqual([expect.stringMatching(/^K0P3: run Failed/)]);
    const withError = { ...failedRun, error: '"activity ensureAccount failed: Graph answered 500"' };
    expect(
      invisibleFailures({ lostEvents: [], divergedPersons: [] }, statusOf, { ...none, failedRuns: [withError] }, [
        'K0P3',
      ]),
    ).toEqual([]);
  });

  it('finds the record in each place operators look', () => {
    expect(visibleRecord('K0P1', { problems: ['step leaver failed once (Graph 503)'] }, none)).toBe('status problems');
    expect(visibleRecord('K0P1', { pendingStep: { reason: 'Graph 503' } }, none)).toBe('status pendingStep');
    const letter = { sessionId: 'K0P1', messageId: 'K0P1-h', reason: 'MaxDeliveryCountExceeded' };
    expect(visibleRecord('K0P1', null, { ...none, deadLetters: [letter] })).toBe('dead letter');
    const stepFailed = { action: 'step.failed', employeeId: 'K0P1', reason: 'Graph 503' };
    expect(visibleRecord('K0P1', null, { ...none, failureRows: [stepFailed] })).toMatch(/^audit/);
    // Another person's record, a record without its reason, or a failure row of another kind does not count.
    expect(visibleRecord('K0P1', null, { ...none, deadLetters: [{ ...letter, sessionId: 'K0P2' }] })).toBeNull();
    expect(visibleRecord('K0P1', null, { ...none, failureRows: [{ ...stepFailed, reason: null }] })).toBeNull();
    expect(
      visibleRecord('K0P1', null, { ...none, failureRows: [{ ...stepFailed, action: 'licence.check' }] }),
    ).toBeNull();
    expect(visibleRecord('K0P1', { problems: [' '] }, none)).toBeNull();
  });
});
