/** Where the daily report files go: the data folder locally (Blob storage in Azure is not written yet). */
export interface LicenceReportFiles {
  json: string;
  csv: string;
  html: string;
}

export interface LicenceReportStore {
  /** Saves the day's files (replacing that day's) and answers where they are. */
  save(date: string, files: LicenceReportFiles): Promise<string[]>;
}
