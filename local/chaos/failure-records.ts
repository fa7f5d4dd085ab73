import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { employeeIdOfInstance } from '../../shared/ops/runs';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { FailureRecords } from './visibility';

/**
 * Reads, read-only, where the local stack keeps what an operator sees of failures and changes: the Service Bus
 * emulator's dead letters (what GET /api/ops/dead-letters lists), the durable store's Failed runs (GET
 * /api/ops/runs?status=failed) and the audit trail (GET /api/ops/audit). Read from the data folder after the
 * trial, like sqlite-lock.ts reads the work items: the ops API would need an operator token for the same rows.
 */
function read<T>(dataDir: string, file: string, table: string, sql: string): T[] {
  const full = path.join(dataDir, file);
  if (!existsSync(full)) return [];
  const db = new Database(full, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table)) return [];
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

export function readAuditRows(dataDir: string): AuditRecord[] {
  return read<{ record: string }>(dataDir, 'audit.sqlite', 'audit', `SELECT record FROM audit ORDER BY seq`).map(
    (r) => JSON.parse(r.record) as AuditRecord,
  );
}

export function readFailureRecords(dataDir: string, auditRows: readonly AuditRecord[]): FailureRecords {
  const deadLetters = read<{ sessionId: string | null; messageId: string; reason: string | null }>(
    dataDir,
    'servicebus.sqlite',
    'messages',
    `SELECT session_id AS sessionId, message_id AS messageId, dl_reason AS reason
     FROM messages WHERE state = 'deadlettered' ORDER BY seq`,
  );
  const failedRuns = read<{ instanceId: string; output: string }>(
    dataDir,
    'durable.sqlite',
    'instances',
    `SELECT id AS instanceId, output FROM instances WHERE status = 'Failed'`,
  ).map((r) => ({
    instanceId: r.instanceId,
    employeeId: employeeIdOfInstance(r.instanceId),
    error: r.output && r.output !== 'null' ? r.output : null,
  }));
  const failureRows = auditRows
    .filter((r) => r.outcome === 'failure')
    .map((r) => ({ action: r.action, employeeId: r.employeeId, reason: r.reason }));
  return { deadLetters, failedRuns, failureRows };
}
