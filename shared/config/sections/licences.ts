import { z } from 'zod';

/**
 * Licence compliance report: when the daily timer runs (six-field NCRONTAB, UTC unless WEBSITE_TIME_ZONE;
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions) and an optional
 * app usage export (CSV: appId, userPrincipalName, lastUsedAt) that says who used which app when; where the daily
 * files are kept in Azure (container names: https://learn.microsoft.com/rest/api/storageservices/
 * naming-and-referencing-containers--blobs--and-metadata#container-names).
 */
const DEFAULT_LICENCE_REPORT_SCHEDULE = '0 0 6 * * *';
/** The container infra/modules/storage.bicep creates for the reports. */
const DEFAULT_LICENCE_REPORT_CONTAINER = 'licence-reports';

export const LicencesSection = z.object({
  LICENCE_REPORT_SCHEDULE: z
    .string()
    .regex(/^\S+( \S+){5}$/, 'a six-field NCRONTAB expression such as "0 0 6 * * *"')
    .default(DEFAULT_LICENCE_REPORT_SCHEDULE),
  LICENCE_USAGE_CSV_FILE: z.string().min(1).optional(),
  /**
   * The Blob service the daily report files are kept in (https://<account>.blob.core.windows.net), reached with the
   * managed identity; unset: the data folder (locally) or not kept (in Azure without it).
   */
  LICENCE_REPORT_BLOB_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** The container inside it (naming-and-referencing-containers--blobs--and-metadata#container-names). */
  LICENCE_REPORT_CONTAINER: z
    .string()
    .regex(
      /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/,
      'a blob container name: 3-63 lower-case letters, digits and single hyphens, starting and ending alphanumeric',
    )
    .default(DEFAULT_LICENCE_REPORT_CONTAINER),
});

/** The timer's schedule from the environment, read where the function is registered (before the config loads). */
export function licenceReportSchedule(env: Record<string, string | undefined>): string {
  const value = env.LICENCE_REPORT_SCHEDULE?.trim();
  return LicencesSection.shape.LICENCE_REPORT_SCHEDULE.parse(value ? value : undefined);
}
