import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../../config/config';
import type { ScimTargetHealth } from '../../ports/scim-target-health';
import { SqliteScimTargetHealth } from '../sqlite/scim-target-health-store';
import { TableScimTargetHealth } from './scim-target-health-table';

/** Same storage choice as the audit trail: Table Storage when AUDIT_TABLE_ENDPOINT is set, else SQLite. */
export function createScimTargetHealth(config: Config): ScimTargetHealth {
  if (config.AUDIT_TABLE_ENDPOINT) {
    const credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new DefaultAzureCredential();
    return new TableScimTargetHealth(new TableClient(config.AUDIT_TABLE_ENDPOINT, 'jmlscimtargethealth', credential));
  }
  return new SqliteScimTargetHealth(path.resolve(config.ENTRA_JML_DATA_DIR, 'scim-target-health.sqlite'));
}
