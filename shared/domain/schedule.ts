import type { WorkerRecord } from './hr-event';
import type { Policy } from './policy';

/*
 * Instants of a person's lifecycle, computed in the worker's IANA time zone with Intl only.
 * HR dates are calendar dates where the person works: "hire 2026-03-30" in Europe/Paris starts at
 * 00:00 Paris time, whatever the UTC offset is that day (DST included). Pure: same input, same output,
 * so orchestrators can use the results for durable timers.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock time in `timeZone` at instant `ms`. */
function localDateTime(ms: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Paris in winter: +3 600 000). */
function offsetAt(ms: number, timeZone: string): number {
  const l = localDateTime(ms, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time. When that time does
 * not exist (skipped by a DST jump), the first instant after the gap; when it exists twice (clocks
 * going back), the earlier one.
 */
export function zonedTimeToInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  const offsets = new Set([
    offsetAt(wanted - DAY_MS, timeZone),
    offsetAt(wanted, timeZone),
    offsetAt(wanted + DAY_MS, timeZone),
  ]);
  const instants = [...offsets].map((offset) => wanted - offset).sort((a, b) => a - b);
  const exact = instants.find((ms) => asUtcOf(ms, timeZone) === wanted);
  if (exact !== undefined) return new Date(exact);
  // In a DST gap: the transition lies between the earliest and latest candidate; it is the first
  // instant after the gap (e.g. a midnight that does not exist starts the day at 01:00).
  return new Date(gapEnd(instants[0] ?? wanted, instants[instants.length - 1] ?? wanted, timeZone));
}

function asUtcOf(ms: number, timeZone: string): number {
  const l = localDateTime(ms, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
}

/**
 * First instant in [from, to] whose offset equals the offset at `to` (the end of the DST jump), by bisection
 * to the minute.
 */
function gapEnd(from: number, to: number, timeZone: string): number {
  const target = offsetAt(to, timeZone);
  let lo = from;
  let hi = to;
  while (hi - lo > 60_000) {
    const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
    if (offsetAt(mid, timeZone) === target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  return { year: year ?? 1970, month: month ?? 1, day: day ?? 1 };
}

function isDateOnly(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** Calendar date `days` after (or before, if negative) the given one. */
function addCalendarDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number } {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Local midnight that starts `date` in `timeZone`. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const { year, month, day } = parseDate(date);
  return zonedTimeToInstant(year, month, day, 0, 0, timeZone);
}

/** The local calendar date (YYYY-MM-DD) of an ISO date or date-time in `timeZone`. */
export function localDateOf(value: string, timeZone: string): string {
  if (isDateOnly(value)) return value;
  const l = localDateTime(new Date(value).getTime(), timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/** Day 1: start of the hire date in the worker's time zone, or the exact date-time if HR gave one. */
export function hireInstant(worker: WorkerRecord): Date {
  return isDateOnly(worker.hireDate) ? startOfLocalDay(worker.hireDate, worker.timeZone) : new Date(worker.hireDate);
}

/** When the (disabled) account is created: local midnight `prehireDays` calendar days before the hire date. */
export function accountCreationInstant(worker: WorkerRecord, policy: Policy): Date {
  const hireDay = parseDate(localDateOf(worker.hireDate, worker.timeZone));
  const day = addCalendarDays(hireDay, -policy.prehireDays);
  return zonedTimeToInstant(day.year, day.month, day.day, 0, 0, worker.timeZone);
}

/**
 * When access ends: the END of the leave date in the worker's time zone (local midnight that starts
 * the next day; the leave date is the last working day), or the exact date-time if HR gave one.
 * Null when the record has no leave date.
 */
export function leaveInstant(worker: WorkerRecord): Date | null {
  if (!worker.leaveDate) return null;
  if (!isDateOnly(worker.leaveDate)) return new Date(worker.leaveDate);
  const next = addCalendarDays(parseDate(worker.leaveDate), 1);
  return zonedTimeToInstant(next.year, next.month, next.day, 0, 0, worker.timeZone);
}

/** When a leaver's account is deleted: `leaver.retentionDays` days after it was disabled. */
export function deletionInstant(leave: Date, policy: Policy): Date {
  return new Date(leave.getTime() + policy.leaver.retentionDays * DAY_MS);
}

/** When a mover's old-role access is removed: `mover.graceDays` days after the move took effect. */
export function graceEndInstant(moved: Date, policy: Policy): Date {
  return new Date(moved.getTime() + policy.mover.graceDays * DAY_MS);
}

/** ISO 8601 UTC without milliseconds, as Graph writes DateTimeOffset values (2026-12-01T08:00:00Z). */
export function toGraphDateTime(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
