import type Database from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database';
import { whereClause } from '../sqlite/where-clause';
import {
  InvalidContinuationToken,
  type AuditIntentKey,
  type AuditLog,
  type AuditPage,
  type AuditQuery,
  type AuditRecord,
} from '../../ports/audit-log';
import { redactSecrets } from './redact';

/** Append-only audit trail in SQLite (the local store; Azure Table Storage is the cloud one). */
export class SqliteAuditLog implements AuditLog {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `
      CREATE TABLE IF NOT EXISTS audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, employee_id TEXT, target TEXT NOT NULL,
        record TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS audit_person ON audit(employee_id, at);
      CREATE INDEX IF NOT EXISTS audit_target ON audit(target, at);
      CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TABLE IF NOT EXISTS audit_intent (
        key TEXT NOT NULL, employee_id TEXT NOT NULL, at TEXT NOT NULL, record TEXT NOT NULL,
        PRIMARY KEY (employee_id, key));
    `,
      { backgroundCheckpoints: true },
    );
  }

  async append(records: AuditRecord[], options: { closes?: AuditIntentKey } = {}): Promise<void> {
    const insert = this.db.prepare(`INSERT INTO audit (at, employee_id, target, record) VALUES (?, ?, ?, ?)`);
    const { closes } = options;
    this.db.transaction(() => {
      for (const record of records) {
        const safe = redactSecrets(record) as AuditRecord;
        insert.run(safe.at, safe.employeeId, safe.target, JSON.stringify(safe));
      }
      if (closes)
        this.db
          .prepare(`DELETE FROM audit_intent WHERE employee_id = ? AND key = ?`)
          .run(closes.employeeId ?? '-', closes.key);
    })();
  }

  async intend(key: AuditIntentKey, record: AuditRecord): Promise<AuditRecord | null> {
    const safe = redactSecrets(record) as AuditRecord;
    return this.db.transaction(() => {
      const earlier = this.readIntent(key);
      if (!earlier)
        this.db
          .prepare(`INSERT INTO audit_intent (key, employee_id, at, record) VALUES (?, ?, ?, ?)`)
          .run(key.key, key.employeeId ?? '-', safe.at, JSON.stringify(safe));
      return earlier;
    })();
  }

  async openIntent(key: AuditIntentKey): Promise<AuditRecord | null> {
    return this.readIntent(key);
  }

  async openIntents(employeeId: string): Promise<AuditRecord[]> {
    const rows = this.db
      .prepare(`SELECT record FROM audit_intent WHERE employee_id = ? ORDER BY at, key`)
      .all(employeeId) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as AuditRecord);
  }

  private readIntent(key: AuditIntentKey): AuditRecord | null {
    const row = this.db
      .prepare(`SELECT record FROM audit_intent WHERE employee_id = ? AND key = ?`)
      .get(key.employeeId ?? '-', key.key) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as AuditRecord) : null;
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    return (await this.page(query)).records;
  }

  /** Pages in append order; the continuation token is the last row's sequence number. */
  async page(query: AuditQuery & { continuationToken?: string }): Promise<AuditPage> {
    const after = query.continuationToken ? decodeToken(query.continuationToken) : 0;
    const { sql, args } = whereClause([
      ['seq > ?', after],
      query.employeeId ? ['employee_id = ?', query.employeeId] : undefined,
      query.target ? ['target = ?', query.target] : undefined,
      query.from ? ['at >= ?', query.from] : undefined,
      query.to ? ['at <= ?', query.to] : undefined,
    ]);
    const limit = query.limit ?? 1000;
    const rows = this.db
      .prepare(`SELECT seq, record FROM audit ${sql} ORDER BY seq LIMIT ?`)
      .all(...args, limit + 1) as { seq: number; record: string }[];
    const more = rows.length > limit;
    const records = rows.slice(0, limit);
    return {
      records: records.map((r) => JSON.parse(r.record) as AuditRecord),
      continuationToken: more ? Buffer.from(`seq:${records.at(-1)!.seq}`).toString('base64url') : null,
    };
  }
}

/** The opaque token back to a sequence number; a token that is not ours is refused, not read as 0. */
function decodeToken(token: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw new InvalidContinuationToken();
  return Number(match[1]);
}
