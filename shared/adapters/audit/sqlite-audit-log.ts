import type Database from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database';
import { whereClause } from '../sqlite/where-clause';
import type { AuditLog, AuditQuery, AuditRecord } from '../../ports/audit-log';
import { redactSecrets } from './redact';

/** Append-only audit trail in SQLite (the local store; Azure Table Storage is the cloud one). */
export class SqliteAuditLog implements AuditLog {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `
      CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, employee_id TEXT, target TEXT NOT NULL, record TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS audit_person ON audit(employee_id, at);
      CREATE INDEX IF NOT EXISTS audit_target ON audit(target, at);
      CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    `,
    );
  }

  async append(records: AuditRecord[]): Promise<void> {
    const insert = this.db.prepare(`INSERT INTO audit (at, employee_id, target, record) VALUES (?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const record of records) {
        const safe = redactSecrets(record) as AuditRecord;
        insert.run(safe.at, safe.employeeId, safe.target, JSON.stringify(safe));
      }
    })();
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const { sql, args } = whereClause([
      query.employeeId ? ['employee_id = ?', query.employeeId] : undefined,
      query.target ? ['target = ?', query.target] : undefined,
      query.from ? ['at >= ?', query.from] : undefined,
      query.to ? ['at <= ?', query.to] : undefined,
    ]);
    const rows = this.db
      .prepare(`SELECT record FROM audit ${sql} ORDER BY seq LIMIT ?`)
      .all(...args, query.limit ?? 1000) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as AuditRecord);
  }
}
