import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import type { Config } from '../config/config';
import type { LicenceReportStore } from '../ports/licence-report-store';
import { BlobLicenceReportStore } from './blob-report-store';
import { LocalLicenceReportStore, UnkeptLicenceReportStore } from './local-report-store';

/**
 * Where the daily report files are kept: the Blob container when LICENCE_REPORT_BLOB_ENDPOINT is set (the managed
 * identity: AZURE_CLIENT_ID names the user-assigned one), else nowhere in Azure (AUDIT_TABLE_ENDPOINT set: the
 * app's folder is not durable there), else the data folder.
 */
export function createLicenceReportStore(config: Config): LicenceReportStore {
  if (config.LICENCE_REPORT_BLOB_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    const url = `${config.LICENCE_REPORT_BLOB_ENDPOINT.replace(/\/+$/, '')}/${config.LICENCE_REPORT_CONTAINER}`;
    return new BlobLicenceReportStore(new ContainerClient(url, credential));
  }
  if (config.AUDIT_TABLE_ENDPOINT) return new UnkeptLicenceReportStore();
  return new LocalLicenceReportStore(path.resolve(config.ENTRA_JML_DATA_DIR, 'reports', 'licences'));
}
