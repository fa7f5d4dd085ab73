/** Dates as an admin reads them: the local date and time, and how far away it is. */

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : DATE_TIME.format(time);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 days", "2 hours ago", "now". `now` is the app's clock when it is known (the local clock can be ahead). */
export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const delta = Date.parse(iso) - now;
  if (Number.isNaN(delta)) return '';
  for (const [unit, ms] of UNITS) if (Math.abs(delta) >= ms) return RELATIVE.format(Math.round(delta / ms), unit);
  return RELATIVE.format(0, 'minute');
}

/** What a person's next due date means, in words (shared/orchestration/person-state.ts `Due`). */
export function dueLabel(which: string): string {
  const labels: Record<string, string> = {
    createAccountAt: 'account created (pre-hire)',
    enableAt: 'account enabled (day 1)',
    leaveAt: 'leaver runs (leave date)',
    deleteAt: 'account deleted (end of retention)',
    managerCheckAt: 'manager looked up again',
    graceEndAt: 'old role’s groups removed (end of mover grace period)',
  };
  return labels[which] ?? which;
}
