import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../../config/config';
import type { ManagerWaitlist } from '../../ports/manager-waitlist';
import { SqliteManagerWaitlist } from './sqlite-manager-waitlist';
import { TableManagerWaitlist } from './table-manager-waitlist';

/** Same storage choice as the audit trail: Table Storage when AUDIT_TABLE_ENDPOINT is set, else SQLite. */
export function createManagerWaitlist(config: Config): ManagerWaitlist {
  if (config.AUDIT_TABLE_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    return new TableManagerWaitlist(new TableClient(config.AUDIT_TABLE_ENDPOINT, 'jmlmanagerwaitlist', credential));
  }
  return new SqliteManagerWaitlist(path.resolve(config.ENTRA_JML_DATA_DIR, 'manager-waitlist.sqlite'));
}
