import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../config/config';
import type { DeletionGuardPort } from '../ports/deletion-guard';
import { DeletionGuard } from './deletion-guard';
import { TableDeletionGuard } from './table-deletion-guard';

/** Same storage choice as the audit trail: Table Storage when AUDIT_TABLE_ENDPOINT is set, else SQLite. */
export function createDeletionGuard(config: Config): DeletionGuardPort {
  if (config.AUDIT_TABLE_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    return new TableDeletionGuard(new TableClient(config.AUDIT_TABLE_ENDPOINT, 'jmldeletionguard', credential));
  }
  return new DeletionGuard(path.resolve(config.ENTRA_JML_DATA_DIR, 'deletion-guard.sqlite'));
}
