import type { OutgoingMail } from '../ports/mailer';
import type { LicenceReport } from './report';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The mail to the licence owners when the day's report crosses a threshold; null when none is crossed. */
export function thresholdMail(report: LicenceReport, owners: string[]): OutgoingMail | null {
  if (owners.length === 0 || report.thresholds.length === 0) return null;
  const lines = report.thresholds.map((t) => t.message);
  const summary =
    `${report.totals.problems} problem(s) concern ${report.totals.peopleWithProblems} people` +
    (report.totals.reclaimableMonthlyCost === null
      ? '.'
      : `; ${report.totals.reclaimableMonthlyCost.toFixed(2)} ${report.totals.currency} a month could be reclaimed.`);
  return {
    to: owners,
    subject: `Licence report ${report.date}: ${report.thresholds.length} threshold(s) crossed`,
    html:
      `<p>The licence report of ${escapeHtml(report.date)} crossed these thresholds:</p><ul>` +
      lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('') +
      `</ul><p>${escapeHtml(summary)}</p>`,
    text: [
      `The licence report of ${report.date} crossed these thresholds:`,
      ...lines.map((l) => `- ${l}`),
      summary,
    ].join('\n'),
  };
}
