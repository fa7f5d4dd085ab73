import { CronExpressionParser } from 'cron-parser';
import { resolveSetting } from '../app-settings';

/**
 * Timer schedules as Azure Functions reads them
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions):
 * a six-field NCRONTAB expression `{second} {minute} {hour} {day} {month} {day-of-week}`, evaluated in
 * WEBSITE_TIME_ZONE (UTC by default), or a TimeSpan `hh:mm:ss` / `d.hh:mm:ss` interval.
 * `%NAME%` is replaced by the app setting NAME.
 */
export interface Schedule {
  describe: string;
  next(after: Date): Date;
}

const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/;

export function parseSchedule(raw: string, timeZone: string | undefined = process.env.WEBSITE_TIME_ZONE): Schedule {
  const text = resolveSetting(raw).trim();
  const span = TIMESPAN.exec(text);
  if (span) {
    const ms = ((Number(span[1] ?? 0) * 24 + Number(span[2])) * 3600 + Number(span[3]) * 60 + Number(span[4])) * 1000;
    if (ms <= 0) throw new Error(`timer schedule "${text}" must be a positive interval`);
    return { describe: `every ${text}`, next: (after) => new Date(after.getTime() + ms) };
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `timer schedule "${text}" must have six NCRONTAB fields (second minute hour day month day-of-week) ` +
        'or be a TimeSpan hh:mm:ss',
    );
  }
  // Validate eagerly so a bad expression stops start-up rather than the first tick.
  CronExpressionParser.parse(text, { tz: timeZone || 'UTC' });
  return {
    describe: text,
    next: (after) =>
      CronExpressionParser.parse(text, { currentDate: after, tz: timeZone || 'UTC' })
        .next()
        .toDate(),
  };
}
