import { RestError, type ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import type { LicenceReportFiles, LicenceReportFormat, LicenceReportStore } from '../ports/licence-report-store';

/**
 * The daily report files in a Blob container (Azure): `YYYY-MM-DD.json|csv|html`, each a block blob uploaded whole
 * with its content type (https://learn.microsoft.com/rest/api/storageservices/put-blob), then `latest.json`, a
 * pointer to the newest day, so the ops API reads the latest report with one GET instead of listing every day.
 * The pointer is written after the day's three files, so it never names a day whose files are not all there.
 * The container is created by infra (storage.bicep); the app's identity has Storage Blob Data Contributor on it.
 */
const REPORT_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LATEST = 'latest.json';

const CONTENT_TYPE: Record<LicenceReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

const LatestPointer = z.object({ date: z.string().regex(REPORT_DATE), savedAt: z.iso.datetime() });

export class BlobLicenceReportStore implements LicenceReportStore {
  constructor(
    private readonly container: ContainerClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(date: string, files: LicenceReportFiles): Promise<string[]> {
    if (!REPORT_DATE.test(date)) throw new Error(`not a report date: ${date}`);
    const urls: string[] = [];
    for (const format of ['json', 'csv', 'html'] as const)
      urls.push(await this.upload(`${date}.${format}`, files[format], CONTENT_TYPE[format]));
    // A day saved again (a re-run) does not move the pointer back from a newer day.
    const latest = await this.latestDate();
    if (latest === null || latest <= date)
      await this.upload(LATEST, JSON.stringify({ date, savedAt: this.now().toISOString() }), CONTENT_TYPE.json);
    return urls;
  }

  async latestDate(): Promise<string | null> {
    const text = await this.download(LATEST);
    if (text === null) return null;
    const pointer = LatestPointer.safeParse(JSON.parse(text));
    if (!pointer.success) throw new Error(`${LATEST} in the licence report container is not a pointer to a day`);
    return pointer.data.date;
  }

  async read(date: string, format: LicenceReportFormat): Promise<string | null> {
    if (!REPORT_DATE.test(date)) return null;
    return this.download(`${date}.${format}`);
  }

  private async upload(name: string, text: string, contentType: string): Promise<string> {
    const blob = this.container.getBlockBlobClient(name);
    const body = Buffer.from(text, 'utf8');
    await blob.upload(body, body.length, { blobHTTPHeaders: { blobContentType: contentType } });
    return blob.url;
  }

  /**
   * The blob's text in one GET (get-blob); null when there is no such blob (404 BlobNotFound). A missing container
   * (404 ContainerNotFound) is a deployment fault and is thrown, not read as "no report".
   */
  private async download(name: string): Promise<string | null> {
    try {
      const response = await this.container.getBlobClient(name).download();
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody!) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404 && error.code === 'BlobNotFound') return null;
      throw error;
    }
  }
}
