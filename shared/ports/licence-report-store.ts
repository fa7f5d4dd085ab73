/** Where the daily report files go: the data folder locally, Blob storage in Azure (LICENCE_REPORT_BLOB_ENDPOINT). */
export interface LicenceReportFiles {
  json: string;
  csv: string;
  html: string;
}

export type LicenceReportFormat = keyof LicenceReportFiles;

export interface LicenceReportStore {
  /** Saves the day's files (replacing that day's) and answers where they are. */
  save(date: string, files: LicenceReportFiles): Promise<string[]>;
  /** The day (YYYY-MM-DD) of the newest saved report; null when none is kept. */
  latestDate(): Promise<string | null>;
  /** One saved file of a day; null when that day or that file is not kept. */
  read(date: string, format: LicenceReportFormat): Promise<string | null>;
}
