import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LicenceReportFiles, LicenceReportFormat, LicenceReportStore } from '../ports/licence-report-store';

const REPORT_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `${ENTRA_JML_DATA_DIR}/reports/licences/YYYY-MM-DD.{json,csv,html}`, each written whole then renamed. */
export class LocalLicenceReportStore implements LicenceReportStore {
  constructor(private readonly folder: string) {}

  async save(date: string, files: LicenceReportFiles): Promise<string[]> {
    if (!REPORT_DATE.test(date)) throw new Error(`not a report date: ${date}`);
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

  /** The newest day whose HTML (written last) is in the folder: a listing, the names sort by date. */
  async latestDate(): Promise<string | null> {
    const names = await readdir(this.folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const days = names.map((name) => /^(\d{4}-\d{2}-\d{2})\.html$/.exec(name)?.[1]).filter((d) => d !== undefined);
    return days.sort().at(-1) ?? null;
  }

  async read(date: string, format: LicenceReportFormat): Promise<string | null> {
    if (!REPORT_DATE.test(date)) return null;
    return readFile(path.join(this.folder, `${date}.${format}`), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
  }
}

/** In Azure without LICENCE_REPORT_BLOB_ENDPOINT the files are not kept (the API renders them on demand). */
export class UnkeptLicenceReportStore implements LicenceReportStore {
  async save(): Promise<string[]> {
    return [];
  }

  async latestDate(): Promise<string | null> {
    return null;
  }

  async read(): Promise<string | null> {
    return null;
  }
}
