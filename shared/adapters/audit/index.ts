import path from 'node:path';
import type { Config } from '../../config/config';
import type { AuditLog } from '../../ports/audit-log';
import { SqliteAuditLog } from './sqlite-audit-log';

/** The audit store: SQLite in the data folder (local host). An Azure Table Storage store is planned for Azure. */
export function createAuditLog(config: Config): AuditLog {
  return new SqliteAuditLog(path.resolve(config.ENTRA_JML_DATA_DIR, 'audit.sqlite'));
}
