import path from 'node:path';
import type { Config } from '../../config/config';
import type { AuditLog } from '../../ports/audit-log';
import { SqliteAuditLog } from './sqlite-audit-log';
import { TableStorageAuditLog } from './table-storage-audit-log';

/** Azure Table Storage in Azure (AUDIT_TABLE_ENDPOINT, managed identity); SQLite in the data folder locally. */
export function createAuditLog(config: Config): AuditLog {
  if (config.AUDIT_TABLE_ENDPOINT)
    return TableStorageAuditLog.fromEndpoint(
      config.AUDIT_TABLE_ENDPOINT,
      config.AUDIT_TABLE_NAME,
      config.AZURE_CLIENT_ID,
    );
  return new SqliteAuditLog(path.resolve(config.ENTRA_JML_DATA_DIR, 'audit.sqlite'));
}
