import { describe, expect, it } from 'vitest';
import { localDateOf, startOfLocalDay, zonedTimeToInstant } from '../../../shared/domain/schedule';

/** More of schedule.ts (mutation testing, issue 15): repeated wall times east of UTC, dates as given, padding. */
describe('zonedTimeToInstant east of UTC', () => {
  it('gives the first of a repeated wall time when only the day before has the earlier offset', () => {
    // Paris falls back at 03:00 CEST on 2026-10-25: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(zonedTimeToInstant(2026, 10, 25, 2, 30, 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('localDateOf', () => {
  it('keeps a date as given, whatever the zone', () => {
    expect(localDateOf('2026-12-01', 'America/New_York')).toBe('2026-12-01');
    expect(localDateOf('2026-12-01', 'Pacific/Pago_Pago')).toBe('2026-12-01');
  });

  it('pads month and day to two digits', () => {
    expect(localDateOf('2026-03-05T12:00:00Z', 'UTC')).toBe('2026-03-05');
  });
});

describe('startOfLocalDay', () => {
  it('reads the date part of a date-time', () => {
    expect(startOfLocalDay('2026-12-01T10:00:00Z', 'Europe/Paris').toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });
});
