import type { Policy } from '../domain/policy';
import type { Directory } from '../ports/directory';
import type { LicenceHistory } from '../ports/licence-history';
import type { LicenceReportFormat, LicenceReportStore } from '../ports/licence-report-store';
import type { Mailer } from '../ports/mailer';
import { collectLicenceSnapshot } from './collect';
import { renderLicenceCsv } from './render-csv';
import { renderLicenceHtml } from './render-html';
import { buildLicenceReport, type LicenceReport } from './report';
import { inlineScriptHashes } from './report-csp';
import type { UsageRow } from './snapshot';
import { thresholdMail } from './threshold-mail';

/** Days of history the trend shows and the forecast is fitted on. */
const HISTORY_DAYS = 90;

export interface LicenceReportDeps {
  directory: Directory;
  policy: () => Policy;
  history: LicenceHistory;
  store: LicenceReportStore;
  mailer: Mailer;
  usage: () => Promise<UsageRow[]>;
  chartJs: () => string;
  now?: () => Date;
}

/**
 * Builds the licence report (collect, read history, compute) on demand, and once a day also records the day's
 * numbers, saves the files and mails the owners when a threshold is crossed.
 */
export class LicenceReportService {
  constructor(private readonly deps: LicenceReportDeps) {}

  async build(): Promise<LicenceReport> {
    const now = this.deps.now?.() ?? new Date();
    const policy = this.deps.policy();
    const from = new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString().slice(0, 10);
    const [snapshot, history] = await Promise.all([
      this.deps.usage().then((usage) => collectLicenceSnapshot(this.deps.directory, policy, { now, usage })),
      this.deps.history.since(from),
    ]);
    return buildLicenceReport({ snapshot, policy, history, now });
  }

  render(report: LicenceReport, format: 'json' | 'csv' | 'html'): { body: string; scriptHashes: string[] } {
    if (format === 'json') return { body: `${JSON.stringify(report, null, 2)}\n`, scriptHashes: [] };
    if (format === 'csv') return { body: renderLicenceCsv(report), scriptHashes: [] };
    const { html, scriptHashes } = renderLicenceHtml(report, this.deps.chartJs());
    return { body: html, scriptHashes };
  }

  /**
   * A report the daily run kept ('latest', or a day YYYY-MM-DD) in the given format, with the CSP hashes of its
   * scripts when it is HTML; null when none is kept.
   */
  async readSaved(
    /** 'latest' or YYYY-MM-DD. */
    day: string,
    format: LicenceReportFormat,
  ): Promise<{ date: string; body: string; scriptHashes: string[] } | null> {
    const date = day === 'latest' ? await this.deps.store.latestDate() : day;
    if (date === null) return null;
    const body = await this.deps.store.read(date, format);
    if (body === null) return null;
    return { date, body, scriptHashes: format === 'html' ? inlineScriptHashes(body) : [] };
  }

  async runDaily(): Promise<{ report: LicenceReport; files: string[]; mailed: string[] }> {
    const report = await this.build();
    await this.deps.history.record(report.trend.filter((day) => day.date === report.date));
    const files = await this.deps.store.save(report.date, {
      json: this.render(report, 'json').body,
      csv: this.render(report, 'csv').body,
      html: this.render(report, 'html').body,
    });
    const mail = thresholdMail(report, this.deps.policy().licences?.owners ?? []);
    if (mail) await this.deps.mailer.send(mail);
    return { report, files, mailed: mail?.to ?? [] };
  }
}
