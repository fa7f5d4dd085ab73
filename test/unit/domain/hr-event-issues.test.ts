import { describe, expect, it } from 'vitest';
import { HrEvent, WorkerRecord } from '../../../shared/domain/hr-event';

/**
 * The issues the HR event schema raises itself are zod "custom" issues (mutation testing, issue 15): a caller that
 * tells the schema's own refusals from zod's shape checks reads the code.
 */
const worker = (overrides: Record<string, unknown> = {}) => ({
  employeeId: 'E1',
  legalGivenName: 'Ada',
  legalFamilyName: 'Lovelace',
  hireDate: '2026-12-01',
  ...overrides,
});
const codesOf = (result: { success: boolean; error?: { issues: { code: string; path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.code]);

describe('HR event schema issue codes', () => {
  it('raises unsafe text, an unknown country and a leave date before the hire date as custom issues', () => {
    expect(codesOf(WorkerRecord.safeParse(worker({ department: 'a\u0007' })))).toEqual([['department', 'custom']]);
    expect(codesOf(WorkerRecord.safeParse(worker({ country: 'Atlantis' })))).toEqual([['country', 'custom']]);
    expect(codesOf(WorkerRecord.safeParse(worker({ leaveDate: '2026-11-01' })))).toEqual([['leaveDate', 'custom']]);
  });

  it('raises a terminate without a leave date as a custom issue', () => {
    const event = { eventId: 'e1', type: 'terminate', occurredAt: '2026-11-25T08:00:00Z', worker: worker() };
    expect(codesOf(HrEvent.safeParse(event))).toEqual([['worker.leaveDate', 'custom']]);
  });

  it('names the form a preferred language takes', () => {
    const parsed = WorkerRecord.safeParse(worker({ preferredLanguage: 'English' }));
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(['a language tag such as en-US']);
  });
});
