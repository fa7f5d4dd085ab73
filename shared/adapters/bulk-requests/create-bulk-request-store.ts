import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../../config/config';
import type { BulkRequestStore } from '../../ports/bulk-request-store';
import { SqliteBulkRequestStore } from './sqlite-bulk-request-store';
import { TableBulkRequestStore } from './table-bulk-request-store';

/** Same storage choice as the person inbox: Table Storage when AUDIT_TABLE_ENDPOINT is set, else SQLite. */
function createBulkRequestStore(config: Config): BulkRequestStore {
  if (config.AUDIT_TABLE_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    return new TableBulkRequestStore(new TableClient(config.AUDIT_TABLE_ENDPOINT, 'jmlbulkrequests', credential));
  }
  return new SqliteBulkRequestStore(path.resolve(config.ENTRA_JML_DATA_DIR, 'bulk-requests.sqlite'));
}

let store: BulkRequestStore | undefined;

/** The process's store, built on first use (kept here rather than in shared/services.ts: one door uses it). */
export function bulkRequestStore(config: Config): BulkRequestStore {
  return (store ??= createBulkRequestStore(config));
}
