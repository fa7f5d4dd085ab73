import type Database from 'better-sqlite3';
import { ActivationRecord } from '../../activation/record';
import type { ActivationStore } from '../../ports/activation-store';
import { openDatabase } from '../sqlite/open-database';

/** Activations in the local data folder: one row per activation, the record as JSON, a version for CAS writes. */
export class SqliteActivationStore implements ActivationStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `CREATE TABLE IF NOT EXISTS activations (activation_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL,
         version INTEGER NOT NULL, updated_at TEXT NOT NULL, doc TEXT NOT NULL);
       CREATE INDEX IF NOT EXISTS activations_employee ON activations(employee_id, updated_at);`,
    );
  }

  async get(activationId: string): Promise<ActivationRecord | null> {
    const row = this.db.prepare(`SELECT doc FROM activations WHERE activation_id = ?`).get(activationId) as
      { doc: string } | undefined;
    return row ? ActivationRecord.parse(JSON.parse(row.doc)) : null;
  }

  async latestForEmployee(employeeId: string): Promise<ActivationRecord | null> {
    const row = this.db
      .prepare(`SELECT doc FROM activations WHERE employee_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT 1`)
      .get(employeeId) as { doc: string } | undefined;
    return row ? ActivationRecord.parse(JSON.parse(row.doc)) : null;
  }

  async save(record: ActivationRecord): Promise<ActivationRecord | null> {
    const stored = { ...record, version: record.version + 1 };
    const doc = JSON.stringify(stored);
    const changes =
      record.version === 0
        ? this.db
            .prepare(
              `INSERT OR IGNORE INTO activations (activation_id, employee_id, version, updated_at, doc)
               VALUES (?, ?, ?, ?, ?)`,
            )
            .run(record.activationId, record.employeeId, stored.version, stored.updatedAt, doc).changes
        : this.db
            .prepare(
              `UPDATE activations SET version = ?, updated_at = ?, doc = ? WHERE activation_id = ? AND version = ?`,
            )
            .run(stored.version, stored.updatedAt, doc, record.activationId, record.version).changes;
    return changes === 1 ? stored : null;
  }
}
