import { readFile } from 'node:fs/promises';
import { GraphMailer } from '../adapters/activation/graph-mailer';
import type { Config } from '../config/config';
import type { Policy } from '../domain/policy';
import type { Directory } from '../ports/directory';
import { chartJsSource } from './chart-source';
import { createLicenceHistory } from './create-licence-history';
import { LicenceReportService } from './licence-report-service';
import { createLicenceReportStore } from './create-licence-report-store';
import type { UsageRow } from './snapshot';
import { parseUsageCsv } from './usage-csv';

/** The licence report with its adapters: Table Storage and Blob storage in Azure, SQLite and files locally. */
export function createLicenceReportService(config: Config, directory: Directory, policy: () => Policy) {
  const usage = async (): Promise<UsageRow[]> => {
    if (!config.LICENCE_USAGE_CSV_FILE) return [];
    return parseUsageCsv(await readFile(config.LICENCE_USAGE_CSV_FILE, 'utf8')).rows;
  };
  return new LicenceReportService({
    directory,
    policy,
    history: createLicenceHistory(config),
    store: createLicenceReportStore(config),
    mailer: new GraphMailer(directory, config.MAIL_SENDER),
    usage,
    chartJs: chartJsSource,
  });
}
