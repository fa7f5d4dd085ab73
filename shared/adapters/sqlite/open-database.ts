import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Opens (creating its folder) one of the project's SQLite files: WAL so readers never block the writer,
 * synchronous=NORMAL (durable at each WAL checkpoint, safe against process crashes), then the schema.
 */
export function openDatabase(file: string, schema: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(schema);
  return db;
}
