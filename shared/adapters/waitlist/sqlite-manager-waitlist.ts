import type Database from 'better-sqlite3';
import type { ManagerWaitlist } from '../../ports/manager-waitlist';
import { openDatabase } from '../sqlite/open-database';

/** The manager waitlist in the local data folder. */
export class SqliteManagerWaitlist implements ManagerWaitlist {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `CREATE TABLE IF NOT EXISTS waitlist (
         manager TEXT NOT NULL, report TEXT NOT NULL, since TEXT NOT NULL, PRIMARY KEY (manager, report));`,
    );
  }

  async wait(managerEmployeeId: string, reportEmployeeId: string): Promise<void> {
    this.db
      .prepare(`INSERT OR IGNORE INTO waitlist (manager, report, since) VALUES (?, ?, ?)`)
      .run(managerEmployeeId, reportEmployeeId, new Date().toISOString());
  }

  async waiting(managerEmployeeId: string): Promise<string[]> {
    const rows = this.db
      .prepare(`SELECT report FROM waitlist WHERE manager = ? ORDER BY since, report`)
      .all(managerEmployeeId) as { report: string }[];
    return rows.map((r) => r.report);
  }

  async done(managerEmployeeId: string, reportEmployeeIds: string[]): Promise<void> {
    const remove = this.db.prepare(`DELETE FROM waitlist WHERE manager = ? AND report = ?`);
    this.db.transaction(() => {
      for (const report of reportEmployeeIds) remove.run(managerEmployeeId, report);
    })();
  }
}
