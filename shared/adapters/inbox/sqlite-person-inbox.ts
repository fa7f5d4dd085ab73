import type Database from 'better-sqlite3';
import type { InboxEntry, PersonInboxPort } from '../../ports/person-inbox';
import { openDatabase } from '../sqlite/open-database';

/** Person inboxes in the local data folder (one SQLite file, shared by the host's functions). */
export class SqlitePersonInbox implements PersonInboxPort {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `CREATE TABLE IF NOT EXISTS inbox (
         employee_id TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL, message TEXT NOT NULL,
         PRIMARY KEY (employee_id, seq));
       CREATE UNIQUE INDEX IF NOT EXISTS inbox_message ON inbox(employee_id, message_id);`,
    );
  }

  async append(employeeId: string, messageId: string, message: unknown): Promise<number> {
    return this.db.transaction(() => {
      const existing = this.db
        .prepare(`SELECT seq FROM inbox WHERE employee_id = ? AND message_id = ?`)
        .get(employeeId, messageId) as { seq: number } | undefined;
      if (existing) return existing.seq;
      const last =
        (
          this.db.prepare(`SELECT MAX(seq) AS seq FROM inbox WHERE employee_id = ?`).get(employeeId) as {
            seq: number | null;
          }
        ).seq ?? 0;
      this.db
        .prepare(`INSERT INTO inbox (employee_id, seq, message_id, message) VALUES (?, ?, ?, ?)`)
        .run(employeeId, last + 1, messageId, JSON.stringify(message));
      return last + 1;
    })();
  }

  async next(employeeId: string, afterSeq: number): Promise<InboxEntry | null> {
    const row = this.db
      .prepare(`SELECT seq, message FROM inbox WHERE employee_id = ? AND seq > ? ORDER BY seq LIMIT 1`)
      .get(employeeId, afterSeq) as { seq: number; message: string } | undefined;
    return row ? { seq: row.seq, message: JSON.parse(row.message) as unknown } : null;
  }
}
