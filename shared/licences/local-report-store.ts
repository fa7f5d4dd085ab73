import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LicenceReportFiles, LicenceReportStore } from '../ports/licence-report-store';

/** `${ENTRA_JML_DATA_DIR}/reports/licences/YYYY-MM-DD.{json,csv,html}`, each written whole then renamed. */
export class LocalLicenceReportStore implements LicenceReportStore {
  constructor(private readonly folder: string) {}

  async save(date: string, files: LicenceReportFiles): Promise<string[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a report date: ${date}`);
    await mkdir(this.folder, { recursive: true });
    const written: string[] = [];
    for (const extension of ['json', 'csv', 'html'] as const) {
      const file = path.join(this.folder, `${date}.${extension}`);
      await writeFile(`${file}.tmp`, files[extension], 'utf8');
      await rename(`${file}.tmp`, file);
      written.push(file);
    }
    return written;
  }
}

/** In Azure the app's folder is not durable storage: the files are not kept (the API renders them on demand). */
export class UnkeptLicenceReportStore implements LicenceReportStore {
  async save(): Promise<string[]> {
    return [];
  }
}
