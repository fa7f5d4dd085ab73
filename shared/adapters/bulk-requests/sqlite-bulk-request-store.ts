import type Database from 'better-sqlite3';
import { BulkRequestRecord, type BulkRequestStore } from '../../ports/bulk-request-store';
import { openDatabase } from '../sqlite/open-database';

/** bulkUpload requests in the local data folder (one row per request, the record as JSON). */
export class SqliteBulkRequestStore implements BulkRequestStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(
      file,
      `CREATE TABLE IF NOT EXISTS bulk_requests
         (request_id TEXT PRIMARY KEY, received_at TEXT NOT NULL, record TEXT NOT NULL);`,
    );
  }

  async save(record: BulkRequestRecord): Promise<void> {
    this.db
      .prepare(`INSERT OR REPLACE INTO bulk_requests (request_id, received_at, record) VALUES (?, ?, ?)`)
      .run(record.requestId, record.receivedAt, JSON.stringify(record));
  }

  async get(requestId: string): Promise<BulkRequestRecord | null> {
    const row = this.db.prepare(`SELECT record FROM bulk_requests WHERE request_id = ?`).get(requestId) as
      { record: string } | undefined;
    return row ? BulkRequestRecord.parse(JSON.parse(row.record)) : null;
  }
}
