import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphMailer } from '../adapters/activation/graph-mailer';
import type { Config } from '../config/config';
import type { Policy } from '../domain/policy';
import type { Directory } from '../ports/directory';
import { chartJsSource } from './chart-source';
import { createLicenceHistory } from './create-licence-history';
import { LicenceReportService } from './licence-report-service';
import { LocalLicenceReportStore, UnkeptLicenceReportStore } from './local-report-store';
import type { UsageRow } from './snapshot';
import { parseUsageCsv } from './usage-csv';

/** The licence report with its adapters: Table Storage and no kept files in Azure, SQLite and files locally. */
export function createLicenceReportService(config: Config, directory: Directory, policy: () => Policy) {
  const azure = !!config.AUDIT_TABLE_ENDPOINT;
  const usage = async (): Promise<UsageRow[]> => {
    if (!config.LICENCE_USAGE_CSV_FILE) return [];
    return parseUsageCsv(await readFile(config.LICENCE_USAGE_CSV_FILE, 'utf8')).rows;
  };
  return new LicenceReportService({
    directory,
    policy,
    history: createLicenceHistory(config),
    store: azure
      ? new UnkeptLicenceReportStore()
      : new LocalLicenceReportStore(path.resolve(config.ENTRA_JML_DATA_DIR, 'reports', 'licences')),
    mailer: new GraphMailer(directory, config.MAIL_SENDER),
    usage,
    chartJs: chartJsSource,
  });
}
