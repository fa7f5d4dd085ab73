import { describe, expect, it } from 'vitest';
import {
  accountCreationInstant,
  deletionInstant,
  graceEndInstant,
  hireInstant,
  leaveInstant,
  localDateOf,
  startOfLocalDay,
  toGraphDateTime,
  zonedTimeToInstant,
} from '../../../shared/domain/schedule';
import { policyFrom, worker } from './fixtures';

const policy = (prehireDays: number, retentionDays = 30, graceDays = 0) =>
  policyFrom(`
version: s
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
prehireDays: ${prehireDays}
leaver: { retentionDays: ${retentionDays} }
mover: { graceDays: ${graceDays} }
`);

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('start of a local day', () => {
  it.each([
    ['2026-12-01', 'UTC', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01', 'Europe/Paris', '2026-11-30T23:00:00.000Z'],
    ['2026-07-01', 'Europe/Paris', '2026-06-30T22:00:00.000Z'],
    ['2026-03-29', 'Europe/Paris', '2026-03-28T23:00:00.000Z'], // DST starts at 02:00 that day: midnight is still CET
    ['2026-03-30', 'Europe/Paris', '2026-03-29T22:00:00.000Z'],
    ['2026-12-01', 'America/New_York', '2026-12-01T05:00:00.000Z'],
    ['2026-12-01', 'Asia/Kolkata', '2026-11-30T18:30:00.000Z'],
    ['2026-12-01', 'Asia/Kathmandu', '2026-11-30T18:15:00.000Z'],
    ['2026-12-01', 'Pacific/Kiritimati', '2026-11-30T10:00:00.000Z'],
    ['2026-12-01', 'Pacific/Pago_Pago', '2026-12-01T11:00:00.000Z'],
    // Santiago springs forward at midnight: 00:00 does not exist, the day starts at 01:00 -03.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
    // Havana springs forward at midnight too; and falls back from 01:00 to 00:00 (midnight twice: the earlier one).
    ['2026-03-08', 'America/Havana', '2026-03-08T05:00:00.000Z'],
    ['2026-11-01', 'America/Havana', '2026-11-01T04:00:00.000Z'],
  ])('%s in %s → %s', (date, tz, expected) => {
    expect(startOfLocalDay(date, tz).toISOString()).toBe(expected);
  });

  it('resolves a skipped wall time to the end of the gap and a repeated one to its first occurrence', () => {
    expect(zonedTimeToInstant(2026, 3, 8, 2, 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(zonedTimeToInstant(2026, 11, 1, 1, 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('gives the local date of a date-time', () => {
    expect(localDateOf('2026-11-30T23:30:00Z', 'Europe/Paris')).toBe('2026-12-01');
    expect(localDateOf('2026-12-01T03:00:00Z', 'America/Los_Angeles')).toBe('2026-11-30');
    expect(localDateOf('2026-12-01', 'Asia/Tokyo')).toBe('2026-12-01');
  });
});

describe('lifecycle instants', () => {
  it('hire instant: local midnight, or the exact date-time HR gave', () => {
    expect(iso(hireInstant(worker({ hireDate: '2026-12-01', timeZone: 'Europe/Paris' })))).toBe(
      '2026-11-30T23:00:00.000Z',
    );
    expect(iso(hireInstant(worker({ hireDate: '2026-12-01T09:00:00+01:00', timeZone: 'Europe/Paris' })))).toBe(
      '2026-12-01T08:00:00.000Z',
    );
  });

  it('account creation: prehireDays calendar days before, at local midnight across DST', () => {
    // Hire Thursday 2 April 2026 in Paris (CEST); 7 days earlier is 26 March (CET): 6 days 23 hours before.
    const w = worker({ hireDate: '2026-04-02', timeZone: 'Europe/Paris' });
    expect(iso(accountCreationInstant(w, policy(7)))).toBe('2026-03-25T23:00:00.000Z');
    expect(iso(hireInstant(w))).toBe('2026-04-01T22:00:00.000Z');
    expect(iso(accountCreationInstant(w, policy(0)))).toBe('2026-04-01T22:00:00.000Z');
  });

  it('account creation from a hire date-time uses its local date', () => {
    const w = worker({ hireDate: '2026-12-01T02:00:00Z', timeZone: 'America/New_York' }); // 30 Nov, 21:00 in New York
    expect(iso(accountCreationInstant(w, policy(1)))).toBe('2026-11-29T05:00:00.000Z');
  });

  it('leave: end of the leave date in the worker zone (DST end inside the last day)', () => {
    expect(
      iso(leaveInstant(worker({ hireDate: '2026-01-05', leaveDate: '2026-10-24', timeZone: 'Europe/Paris' }))),
    ).toBe('2026-10-24T22:00:00.000Z');
    // 25 October 2026 is 25 hours long in Paris.
    expect(
      iso(leaveInstant(worker({ hireDate: '2026-01-05', leaveDate: '2026-10-25', timeZone: 'Europe/Paris' }))),
    ).toBe('2026-10-25T23:00:00.000Z');
    expect(iso(leaveInstant(worker({ leaveDate: '2026-12-31', timeZone: 'America/Los_Angeles' })))).toBe(
      '2027-01-01T08:00:00.000Z',
    );
  });

  it('leave: an exact date-time is kept; no leave date gives null', () => {
    expect(iso(leaveInstant(worker({ leaveDate: '2026-12-15T17:30:00-05:00', timeZone: 'America/New_York' })))).toBe(
      '2026-12-15T22:30:00.000Z',
    );
    expect(leaveInstant(worker())).toBeNull();
  });

  it('deletion after retention and end of mover grace', () => {
    const leave = new Date('2026-12-31T23:00:00Z');
    expect(iso(deletionInstant(leave, policy(7, 30)))).toBe('2027-01-30T23:00:00.000Z');
    expect(iso(deletionInstant(leave, policy(7, 0)))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(graceEndInstant(leave, policy(7, 30, 14)))).toBe('2027-01-14T23:00:00.000Z');
  });

  it('formats instants as Graph does', () => {
    expect(toGraphDateTime(new Date('2026-11-30T23:00:00.000Z'))).toBe('2026-11-30T23:00:00Z');
  });
});
