import type { HrEvent } from '../domain/hr-event';
import { leaveInstant } from '../domain/schedule';
import type { Problem } from './problem';

/**
 * Dates that cannot be right, judged against the time an event arrives (so at the intake door only: a
 * queued event is never refused later because time has passed). Refused: a hire date more than two years
 * ahead (9999-12-31 is the usual "no date" placeholder of HR exports), a leave date more than ten years
 * ahead, and a scheduled terminate whose leave date is more than a year gone. Accepted with a notice: a
 * leave date in the past, which the lifecycle applies at once.
 */
const MAX_HIRE_DAYS_AHEAD = 730;
const MAX_LEAVE_DAYS_AHEAD = 3650;
const MAX_PAST_LEAVE_DAYS = 365;

const DAY_MS = 86_400_000;

export interface DateFindings {
  problems: Problem[];
  notices: Problem[];
}

export function checkDates(event: HrEvent, now: Date, prefix = ''): DateFindings {
  const problems: Problem[] = [];
  const notices: Problem[] = [];
  const { hireDate, leaveDate } = event.worker;
  const days = (iso: string) => (Date.parse(iso) - now.getTime()) / DAY_MS;
  if (days(hireDate) > MAX_HIRE_DAYS_AHEAD)
    problems.push({
      path: `${prefix}worker.hireDate`,
      reason: `${hireDate} is more than ${MAX_HIRE_DAYS_AHEAD} days ahead (a placeholder date?)`,
    });
  if (leaveDate && days(leaveDate) > MAX_LEAVE_DAYS_AHEAD)
    problems.push({
      path: `${prefix}worker.leaveDate`,
      reason:
        `${leaveDate} is more than ${MAX_LEAVE_DAYS_AHEAD / 365} years ahead (a placeholder date?); ` +
        'leave it out when there is no end date',
    });
  const leave = leaveInstant(event.worker);
  if (leave && !(event.type === 'terminate' && event.immediate)) {
    // The leave instant is the end of the leave day in the person's time zone: today is not "in the past".
    const pastDays = (now.getTime() - leave.getTime()) / DAY_MS;
    if (pastDays > MAX_PAST_LEAVE_DAYS)
      problems.push({
        path: `${prefix}worker.leaveDate`,
        reason:
          `${leaveDate} is more than ${MAX_PAST_LEAVE_DAYS} days in the past; ` +
          'send a terminate with "immediate": true if the person is to leave now',
      });
    else if (pastDays > 0)
      notices.push({
        path: `${prefix}worker.leaveDate`,
        reason: `${leaveDate} is in the past: the leave is applied at once`,
      });
  }
  return { problems, notices };
}
