import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerClient } from '@azure/storage-blob';
import { parseConfig } from '../../shared/config/config';
import { BlobLicenceReportStore } from '../../shared/licences/blob-report-store';
import { chartJsSource } from '../../shared/licences/chart-source';
import { createLicenceReportStore } from '../../shared/licences/create-licence-report-store';
import { LicenceReportService } from '../../shared/licences/licence-report-service';
import { LocalLicenceReportStore, UnkeptLicenceReportStore } from '../../shared/licences/local-report-store';
import { renderLicenceHtml } from '../../shared/licences/render-html';
import { buildLicenceReport } from '../../shared/licences/report';
import { inlineScriptHashes } from '../../shared/licences/report-csp';
import type { Directory } from '../../shared/ports/directory';
import { startAzuriteBlob, type AzuriteBlob } from '../support/azurite';
import { NOW, policy, snapshot } from './fixtures';

/**
 * The daily report files in Blob storage, against Azurite's Blob service (Microsoft's storage emulator): each day's
 * JSON, CSV and HTML with their content types, a `latest.json` pointer that never goes back, and the kept HTML served
 * again with the CSP hashes of its own scripts. The store is chosen by the one config object.
 */
const files = (tag: string) => ({ json: `{"day":"${tag}"}\n`, csv: `section\r\n${tag}\r\n`, html: `<p>${tag}</p>` });

describe('licence reports in Blob storage (Azurite)', () => {
  let azurite: AzuriteBlob;
  let container: ContainerClient;
  let store: BlobLicenceReportStore;

  beforeAll(async () => {
    azurite = await startAzuriteBlob();
    container = await azurite.createContainer('licences');
    store = new BlobLicenceReportStore(container, () => NOW);
  });
  afterAll(async () => azurite?.stop());

  it('keeps nothing before the first save', async () => {
    expect(await store.latestDate()).toBeNull();
    expect(await store.read('2026-02-28', 'html')).toBeNull();
  });

  it("saves a day's three files with their content types, then points latest at that day", async () => {
    const urls = await store.save('2026-02-28', files('a'));
    expect(urls.map((url) => new URL(url).pathname.split('/').at(-1))).toEqual([
      '2026-02-28.json',
      '2026-02-28.csv',
      '2026-02-28.html',
    ]);
    const types: Record<string, string | undefined> = {};
    for await (const blob of container.listBlobsFlat()) types[blob.name] = blob.properties.contentType;
    expect(types).toEqual({
      '2026-02-28.json': 'application/json; charset=utf-8',
      '2026-02-28.csv': 'text/csv; charset=utf-8',
      '2026-02-28.html': 'text/html; charset=utf-8',
      'latest.json': 'application/json; charset=utf-8',
    });
    expect(await store.latestDate()).toBe('2026-02-28');
    expect(await store.read('2026-02-28', 'csv')).toBe('section\r\na\r\n');
    expect(JSON.parse((await container.getBlobClient('latest.json').downloadToBuffer()).toString())).toEqual({
      date: '2026-02-28',
      savedAt: NOW.toISOString(),
    });
  });

  it('moves latest forward, not back when an older day is saved again', async () => {
    await store.save('2026-03-01', files('b'));
    expect(await store.latestDate()).toBe('2026-03-01');
    await store.save('2026-02-28', files('a2'));
    expect(await store.latestDate()).toBe('2026-03-01');
    expect(await store.read('2026-02-28', 'html')).toBe('<p>a2</p>');
    expect(await store.read('2026-03-01', 'json')).toBe('{"day":"b"}\n');
  });

  it('refuses a name that is not a day, and fails loudly when the container does not exist', async () => {
    await expect(store.save('../latest', files('x'))).rejects.toThrow(/not a report date/);
    expect(await store.read('latest', 'json')).toBeNull();
    const deleted = await azurite.createContainer('deleted');
    await deleted.delete();
    await expect(new BlobLicenceReportStore(deleted).latestDate()).rejects.toMatchObject({ code: 'ContainerNotFound' });
  });

  it('daily runs keep the files there; the ops read path serves the latest HTML and its script hashes', async () => {
    const days = await azurite.createContainer('daily');
    const service = new LicenceReportService({
      directory: {} as Directory,
      policy: () => policy(),
      history: { record: async () => {}, since: async () => [] },
      store: new BlobLicenceReportStore(days),
      mailer: { send: async () => {} },
      usage: async () => [],
      chartJs: chartJsSource,
      now: () => NOW,
    });
    // The report from a crafted snapshot (the Graph side is covered by report-service.test.ts).
    const report = buildLicenceReport({ snapshot: snapshot(), policy: policy(), history: [], now: NOW });
    service.build = async () => report;
    await service.runDaily();
    const kept = await service.readSaved('latest', 'html');
    const rendered = renderLicenceHtml(report, chartJsSource());
    expect(kept).toEqual({ date: '2026-03-01', body: rendered.html, scriptHashes: rendered.scriptHashes });
    expect((await service.readSaved('latest', 'json'))!.body).toContain('"date": "2026-03-01"');
    expect(await service.readSaved('2026-02-01', 'csv')).toBeNull();
  });
});

describe('which store keeps the reports (config)', () => {
  const base = { ENTRA_JML_DATA_DIR: '/tmp/jml-data' };

  it('Blob storage when LICENCE_REPORT_BLOB_ENDPOINT is set, in the configured container', () => {
    const config = parseConfig({
      ...base,
      AUDIT_TABLE_ENDPOINT: 'https://stjml.table.core.windows.net',
      LICENCE_REPORT_BLOB_ENDPOINT: 'https://stjml.blob.core.windows.net/',
      LICENCE_REPORT_CONTAINER: 'reports-2026',
    });
    const store = createLicenceReportStore(config);
    expect(store).toBeInstanceOf(BlobLicenceReportStore);
    expect(
      (store as unknown as { container: ContainerClient }).container.url,
      'the account URL and the container, no double slash',
    ).toBe('https://stjml.blob.core.windows.net/reports-2026');
  });

  it('the data folder locally, nothing kept in Azure without a Blob endpoint; the default container', () => {
    expect(createLicenceReportStore(parseConfig(base))).toBeInstanceOf(LocalLicenceReportStore);
    const azure = parseConfig({ ...base, AUDIT_TABLE_ENDPOINT: 'https://stjml.table.core.windows.net' });
    expect(createLicenceReportStore(azure)).toBeInstanceOf(UnkeptLicenceReportStore);
    expect(azure.LICENCE_REPORT_CONTAINER).toBe('licence-reports');
  });

  it('refuses a container name Blob storage would refuse, and an endpoint that is not a URL', () => {
    for (const name of ['Reports', 'ab', 'a--b', '-reports', 'reports_2026', 'x'.repeat(64)])
      expect(() => parseConfig({ ...base, LICENCE_REPORT_CONTAINER: name }), name).toThrow(/LICENCE_REPORT_CONTAINER/);
    expect(() => parseConfig({ ...base, LICENCE_REPORT_BLOB_ENDPOINT: 'stjml.blob.core.windows.net' })).toThrow(
      /LICENCE_REPORT_BLOB_ENDPOINT/,
    );
  });
});

describe('script hashes of a kept HTML report', () => {
  it('are the hashes the page was rendered with (the data island is not a script that runs)', () => {
    const report = buildLicenceReport({ snapshot: snapshot(), policy: policy(), history: [], now: NOW });
    const { html, scriptHashes } = renderLicenceHtml(report, chartJsSource());
    expect(inlineScriptHashes(html)).toEqual(scriptHashes);
  });
});
