import { describe, expect, it } from 'vitest';
import { completeFromDirectory, type MappedEvent } from '../../shared/intake/bulk-upload';

/**
 * A bulkUpload operation with no hire date is someone already employed: its default hire date must have begun in
 * every time zone, or a person west of Greenwich sent just after midnight UTC became a pre-hire with a disabled
 * account (test/e2e/bulk-upload.test.ts failed between 00:00 and about 08:00 UTC for a US company).
 */
const event = (hireDate?: string): MappedEvent =>
  ({
    eventId: 'e1',
    type: 'hire',
    occurredAt: '2026-12-02T00:26:00.000Z',
    worker: {
      employeeId: '701984',
      legalGivenName: 'Barbara',
      legalFamilyName: 'Jensen',
      ...(hireDate ? { hireDate } : {}),
    },
  }) as unknown as MappedEvent;

describe('bulkUpload hire date default', () => {
  it('just after midnight UTC is the date at UTC-12 (still the previous day), begun everywhere', () => {
    const done = completeFromDirectory(event(), null, new Date('2026-12-02T00:26:00.000Z'));
    expect(done.worker.hireDate).toBe('2026-12-01');
  });

  it('from noon UTC on is the UTC date', () => {
    expect(completeFromDirectory(event(), null, new Date('2026-12-02T12:00:00.000Z')).worker.hireDate).toBe(
      '2026-12-02',
    );
    expect(completeFromDirectory(event(), null, new Date('2026-12-02T11:59:59.000Z')).worker.hireDate).toBe(
      '2026-12-01',
    );
  });

  it('a hire date sent, or the directory user’s, wins over the default', () => {
    expect(completeFromDirectory(event('2027-01-04'), null, new Date('2026-12-02T00:26:00.000Z')).worker.hireDate).toBe(
      '2027-01-04',
    );
  });
});
