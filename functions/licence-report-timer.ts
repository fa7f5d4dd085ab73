import { app, type InvocationContext, type Timer } from '@azure/functions';
import { licenceReportSchedule } from '../shared/config/sections/licences';
import { services } from '../shared/services';
import { licenceServices } from './licence-services';

/**
 * The daily licence compliance report (LICENCE_REPORT_SCHEDULE, default 06:00 UTC): records the day's numbers for
 * the trend, saves JSON/CSV/HTML in the data folder (locally) and mails the owners when a threshold is crossed. With
 * the policy's licences.remediation.daily, it then applies the remediation actions the policy switches on (a run
 * over maxChanges is refused and audited as held, for an admin to approve through the API).
 */
app.timer('licenceReportTimer', {
  schedule: licenceReportSchedule(process.env),
  handler: async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const { report, files, mailed } = await services().licenceReports.runDaily();
    context.log(
      `licence report ${report.date}: ${report.totals.problems} problem(s), ` +
        `${report.thresholds.length} threshold(s) crossed, ${files.length} file(s) saved, mailed ${mailed.length}`,
    );
    if (!services().policy.licences?.remediation.daily) return;
    const run = await licenceServices().remediation.run({ apply: true, actor: 'licence-report-timer' });
    context.log(
      run.refused
        ? `licence remediation refused: ${run.refused}`
        : `licence remediation: ${run.totals.done} done, ${run.totals.pending} pending, ${run.totals.failed} failed`,
    );
  },
});
