import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EmployeeId, HrEvent, TimeZone, WorkerRecord, describeIssues } from '../../../shared/domain/hr-event';

/**
 * The HR event schema's own rules, with the reason each refusal gives (mutation testing, issue 15): the JSON Schema
 * test (test/intake/hr-event-schema.test.ts) covers limits and patterns, not refinements and messages.
 */
const worker = (overrides: Record<string, unknown> = {}) => ({
  employeeId: 'E1',
  legalGivenName: 'Ada',
  legalFamilyName: 'Lovelace',
  hireDate: '2026-12-01',
  ...overrides,
});
const event = (overrides: Record<string, unknown> = {}, workerOverrides: Record<string, unknown> = {}) => ({
  eventId: 'e1',
  type: 'hire',
  occurredAt: '2026-11-25T08:00:00Z',
  worker: worker(workerOverrides),
  ...overrides,
});
const issuesOf = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : describeIssues(parsed.error);
};

describe('EmployeeId', () => {
  it('refuses ids made of dots only (URL dot-segments), and allows dots among other characters', () => {
    const reason = 'dots only: cannot be a URL path segment (RFC 3986 dot-segment)';
    expect(issuesOf(EmployeeId, '.')).toEqual([{ path: '(root)', reason }]);
    expect(issuesOf(EmployeeId, '..')).toEqual([{ path: '(root)', reason }]);
    expect(issuesOf(EmployeeId, '.E.1.')).toEqual([]);
    expect(issuesOf(EmployeeId, 'E..')).toEqual([]);
  });

  it('names the characters it allows', () => {
    expect(issuesOf(EmployeeId, 'E 1')).toEqual([
      { path: '(root)', reason: 'letters, digits, dot, underscore or hyphen only' },
    ]);
  });
});

describe('TimeZone', () => {
  it('accepts an IANA zone, twice (the second time from the zones already seen), and refuses an unknown one', () => {
    expect(TimeZone.safeParse('America/Argentina/Ushuaia').success).toBe(true);
    expect(TimeZone.safeParse('America/Argentina/Ushuaia').success).toBe(true);
    expect(issuesOf(TimeZone, 'Mars/Olympus')).toEqual([{ path: '(root)', reason: 'unknown IANA time zone' }]);
    expect(issuesOf(TimeZone, 'Mars/Olympus')).toEqual([{ path: '(root)', reason: 'unknown IANA time zone' }]);
  });
});

describe('WorkerRecord', () => {
  it('refuses unsafe text in any text field, with the reason names.ts gives', () => {
    expect(issuesOf(WorkerRecord, worker({ department: 'Sales\u0007' }))).toEqual([
      { path: 'department', reason: 'contains the control character U+0007' },
    ]);
    expect(issuesOf(WorkerRecord, worker({ legalGivenName: 'A\u200Bda' }))).toEqual([
      {
        path: 'legalGivenName',
        reason: 'contains the invisible character U+200B, which would make the name look like another',
      },
    ]);
  });

  it('lets an invisible character through in plain text fields (only names refuse them)', () => {
    expect(issuesOf(WorkerRecord, worker({ department: 'Sa\u200Bles' }))).toEqual([]);
  });

  it('normalises text (NFC, spaces, trimmed) and refuses a name that is empty once trimmed', () => {
    const parsed = WorkerRecord.parse(worker({ department: '\u00A0Sales\u2003Ops ', legalGivenName: 'Jose\u0301' }));
    expect([parsed.department, parsed.legalGivenName]).toEqual(['Sales Ops', 'José']);
    expect(issuesOf(WorkerRecord, worker({ legalFamilyName: '   ' }))).toEqual([
      { path: 'legalFamilyName', reason: 'empty after trimming spaces' },
    ]);
  });

  it('converts a country and names an unknown one, cut to 64 characters', () => {
    expect(WorkerRecord.parse(worker({ country: 'Deutschland' })).country).toBe('DE');
    const long = `Atlantis${'x'.repeat(80)}`;
    expect(issuesOf(WorkerRecord, worker({ country: long }))).toEqual([
      { path: 'country', reason: `"${long.slice(0, 64)}" is not an ISO 3166 country code or name` },
    ]);
  });

  it('allows 50 extensions and refuses 51', () => {
    const extensions = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(issuesOf(WorkerRecord, worker({ extensions: extensions(50) }))).toEqual([]);
    expect(issuesOf(WorkerRecord, worker({ extensions: extensions(51) }))).toEqual([
      { path: 'extensions', reason: '50 at most' },
    ]);
    expect(WorkerRecord.parse(worker()).extensions).toEqual({});
  });

  it('names the characters an extension key may hold', () => {
    const parsed = WorkerRecord.safeParse(worker({ extensions: { 'a.b': 'v' } }));
    // zod reports a refused record key as "Invalid key in record", with the key schema's issues inside.
    const issue = parsed.error?.issues[0] as { path: PropertyKey[]; issues?: { message: string }[] } | undefined;
    expect(issue?.path).toEqual(['extensions', 'a.b']);
    expect(issue?.issues?.map((inner) => inner.message)).toEqual(['letters, digits, underscore or hyphen only']);
  });

  it('refuses a leave date before the hire date, and allows one on the hire date', () => {
    expect(issuesOf(WorkerRecord, worker({ leaveDate: '2026-11-30' }))).toEqual([
      { path: 'leaveDate', reason: '2026-11-30 is before the hire date 2026-12-01' },
    ]);
    expect(issuesOf(WorkerRecord, worker({ leaveDate: '2026-12-01' }))).toEqual([]);
  });

  it('defaults the employment type to employee and the time zone to UTC', () => {
    const parsed = WorkerRecord.parse(worker());
    expect([parsed.employmentType, parsed.timeZone]).toEqual(['employee', 'UTC']);
  });

  it('refuses a field it does not know', () => {
    expect(WorkerRecord.safeParse(worker({ nickname: 'Ada' })).success).toBe(false);
  });
});

describe('HrEvent', () => {
  it('names the characters an event id may hold', () => {
    expect(issuesOf(HrEvent, event({ eventId: 'e 1' }))).toEqual([
      { path: 'eventId', reason: 'letters, digits and . _ : - only' },
    ]);
  });

  it('requires a leave date for a terminate that is not immediate, only then', () => {
    expect(issuesOf(HrEvent, event({ type: 'terminate' }))).toEqual([
      { path: 'worker.leaveDate', reason: 'required for a terminate that is not immediate' },
    ]);
    expect(issuesOf(HrEvent, event({ type: 'terminate', immediate: true }))).toEqual([]);
    expect(issuesOf(HrEvent, event({ type: 'terminate' }, { leaveDate: '2027-01-31' }))).toEqual([]);
    expect(issuesOf(HrEvent, event({ type: 'update' }))).toEqual([]);
  });

  it('defaults the source to webhook and immediate to false, and refuses a field it does not know', () => {
    const parsed = HrEvent.parse(event());
    expect([parsed.source, parsed.immediate]).toEqual(['webhook', false]);
    expect(HrEvent.safeParse(event({ priority: 1 })).success).toBe(false);
  });
});

describe('describeIssues', () => {
  it('joins the path with dots, and names the root when there is no path', () => {
    expect(issuesOf(HrEvent, 'not an object')).toEqual([
      { path: '(root)', reason: 'Invalid input: expected object, received string' },
    ]);
  });
});
