import { describe, expect, it } from 'vitest';
import {
  employeeIdOf,
  HR_EVENT_NAME,
  PERSON_ORCHESTRATION,
  personInstanceId,
  ReevaluateRequest,
} from '../../../shared/domain/person-contract';

/**
 * The hand-off between the HR intake and the person orchestration: the names the durable host knows them by,
 * the instance id per person, and the re-evaluation request's bounds (mutation testing, issue 15).
 */
describe('person orchestration names', () => {
  it('the orchestration and its external event have the names the functions register', () => {
    expect(PERSON_ORCHESTRATION).toBe('person');
    expect(HR_EVENT_NAME).toBe('hr-event');
  });

  it('one instance per person, and back to the employee id', () => {
    expect(personInstanceId('E1001')).toBe('person-E1001');
    expect(employeeIdOf('person-E1001')).toBe('E1001');
  });

  it('only a leading "person-" is the prefix: an employee id may contain the word', () => {
    expect(employeeIdOf(personInstanceId('X-person-1'))).toBe('X-person-1');
    expect(employeeIdOf('batch-person-1')).toBe('batch-person-1');
  });
});

describe('ReevaluateRequest', () => {
  const request = { kind: 'reevaluate', requestId: 'r-1', employeeId: 'E1001' };

  it('needs only the kind, a request id and the employee id', () => {
    expect(ReevaluateRequest.parse(request)).toEqual(request);
    expect(ReevaluateRequest.safeParse({ ...request, kind: 'reevaluated' }).success).toBe(false);
  });

  it('bounds each field: request id 1–128, employee id 1–64, reason 500, requested by 200', () => {
    const ok = (extra: Record<string, unknown>) => ReevaluateRequest.safeParse({ ...request, ...extra }).success;
    expect([ok({ requestId: '' }), ok({ requestId: 'r'.repeat(128) }), ok({ requestId: 'r'.repeat(129) })]).toEqual([
      false,
      true,
      false,
    ]);
    expect([ok({ employeeId: '' }), ok({ employeeId: 'E'.repeat(64) }), ok({ employeeId: 'E'.repeat(65) })]).toEqual([
      false,
      true,
      false,
    ]);
    expect([ok({ reason: 'x'.repeat(500) }), ok({ reason: 'x'.repeat(501) })]).toEqual([true, false]);
    expect([ok({ requestedBy: 'x'.repeat(200) }), ok({ requestedBy: 'x'.repeat(201) })]).toEqual([true, false]);
  });
});
