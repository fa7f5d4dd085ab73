import { z } from 'zod';

/**
 * Licence compliance report: when the daily timer runs (six-field NCRONTAB, UTC unless WEBSITE_TIME_ZONE;
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions) and an optional
 * app usage export (CSV: appId, userPrincipalName, lastUsedAt) that says who used which app when.
 */
const DEFAULT_LICENCE_REPORT_SCHEDULE = '0 0 6 * * *';

export const LicencesSection = z.object({
  LICENCE_REPORT_SCHEDULE: z
    .string()
    .regex(/^\S+( \S+){5}$/, 'a six-field NCRONTAB expression such as "0 0 6 * * *"')
    .default(DEFAULT_LICENCE_REPORT_SCHEDULE),
  LICENCE_USAGE_CSV_FILE: z.string().min(1).optional(),
});

/** The timer's schedule from the environment, read where the function is registered (before the config loads). */
export function licenceReportSchedule(env: Record<string, string | undefined>): string {
  const value = env.LICENCE_REPORT_SCHEDULE?.trim();
  return LicencesSection.shape.LICENCE_REPORT_SCHEDULE.parse(value ? value : undefined);
}
