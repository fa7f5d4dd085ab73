import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../../config/config';
import type { PersonInboxPort } from '../../ports/person-inbox';
import { SqlitePersonInbox } from './sqlite-person-inbox';
import { TablePersonInbox } from './table-person-inbox';

/** Same storage choice as the audit trail: Table Storage when AUDIT_TABLE_ENDPOINT is set, else SQLite. */
export function createPersonInbox(config: Config): PersonInboxPort {
  if (config.AUDIT_TABLE_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    return new TablePersonInbox(new TableClient(config.AUDIT_TABLE_ENDPOINT, 'jmlpersoninbox', credential));
  }
  return new SqlitePersonInbox(path.resolve(config.ENTRA_JML_DATA_DIR, 'person-inbox.sqlite'));
}
