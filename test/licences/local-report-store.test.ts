import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalLicenceReportStore } from '../../shared/licences/local-report-store';

/** The data folder as the report store (locally): the newest day by listing, a day's file read back. */
describe('licence reports in the data folder', () => {
  const files = (tag: string) => ({ json: `{"t":"${tag}"}`, csv: tag, html: `<p>${tag}</p>` });

  it('answers the newest saved day and its files; nothing before the first save or for another day', async () => {
    const folder = path.join(mkdtempSync(path.join(tmpdir(), 'jml-licence-store-')), 'reports', 'licences');
    const store = new LocalLicenceReportStore(folder);
    expect(await store.latestDate()).toBeNull();
    await store.save('2026-03-01', files('b'));
    await store.save('2026-02-28', files('a'));
    // A file that is not a day's report is not taken for one.
    writeFileSync(path.join(folder, 'notes.html'), 'x');
    expect(await store.latestDate()).toBe('2026-03-01');
    expect(await store.read('2026-02-28', 'html')).toBe('<p>a</p>');
    expect(await store.read('2026-01-01', 'json')).toBeNull();
    expect(await store.read('../../etc/passwd', 'json')).toBeNull();
  });
});
