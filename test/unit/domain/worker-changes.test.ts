import { describe, expect, it } from 'vitest';
import type { WorkerRecord } from '../../../shared/domain/hr-event';
import { changedWorkerFields } from '../../../shared/domain/worker-changes';
import { worker } from './fixtures';

/** A mover's "what changed" (mover.notifyOn is matched against it): mutation testing, issue 15. */
describe('changedWorkerFields', () => {
  it('lists the fields whose values differ, sorted, including one set on one side only', () => {
    const before = worker({ jobTitle: 'Engineer', city: 'Paris' });
    const after = worker({ jobTitle: 'Lead', department: 'Sales', costCenter: 'CC1', city: 'Paris' });
    expect(changedWorkerFields(before, after)).toEqual(['costCenter', 'department', 'jobTitle']);
    expect(changedWorkerFields(after, before)).toEqual(['costCenter', 'department', 'jobTitle']);
  });

  it('compares nested values by content, and a missing field like an absent one', () => {
    const before: WorkerRecord = { ...worker({ extensions: { badge: '1' } }), city: undefined };
    const after = worker({ extensions: { badge: '1' } });
    expect(changedWorkerFields(before, after)).toEqual([]);
    expect(changedWorkerFields(before, worker({ extensions: { badge: '2' } }))).toEqual(['extensions']);
  });
});
