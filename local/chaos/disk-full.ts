import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * The "full disk" fault, as the app's SQLite stores meet it: every write statement fails with SQLITE_FULL
 * ("database or disk is full", https://www.sqlite.org/rescode.html#full) while the window lasts; reads go on, as
 * they do on a full disk. The Graph emulator's file is left alone: it stands for Graph, a remote service, not for
 * the app's disk. Installed by the traps on each statement the host prepares.
 */
const NOT_APP_STORES = new Set(['graph-emulator.sqlite']);

export function guardWrites(statement: Database.Statement, file: string, fullUntil: () => number): void {
  if (statement.reader || NOT_APP_STORES.has(path.basename(file))) return;
  const run = statement.run.bind(statement);
  statement.run = (...args: unknown[]) => {
    if (Date.now() < fullUntil()) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    return run(...args);
  };
}
