import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../config/config';
import type { LicenceHistory } from '../ports/licence-history';
import { SqliteLicenceHistory } from '../adapters/sqlite/licence-history';
import { TableLicenceHistory } from '../adapters/table-storage/licence-history';

/** Same storage choice as the audit trail: Table Storage when AUDIT_TABLE_ENDPOINT is set, else SQLite. */
const LICENCE_HISTORY_TABLE = 'jmllicencehistory';

export function createLicenceHistory(config: Config): LicenceHistory {
  if (config.AUDIT_TABLE_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    return new TableLicenceHistory(new TableClient(config.AUDIT_TABLE_ENDPOINT, LICENCE_HISTORY_TABLE, credential));
  }
  return new SqliteLicenceHistory(path.resolve(config.ENTRA_JML_DATA_DIR, 'licence-history.sqlite'));
}
