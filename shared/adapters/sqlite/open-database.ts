import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { checkpointInBackground } from './background-checkpoints';

/**
 * Opens (creating its folder) one of the project's SQLite files: WAL so readers never block the writer,
 * synchronous=NORMAL (durable at each WAL checkpoint, safe against process crashes), then the schema.
 * `backgroundCheckpoints`: the hot files of the local host (durable store, queue, audit) are checkpointed by a
 * worker thread, not on the event loop's commits (background-checkpoints.ts).
 */
export function openDatabase(
  file: string,
  schema: string,
  options: { backgroundCheckpoints?: boolean } = {},
): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(schema);
  cachePreparedStatements(db);
  if (options.backgroundCheckpoints) checkpointInBackground(db, path.resolve(file));
  return db;
}

/**
 * The stores call `db.prepare(sql)` where they use it; compiling the same SQL again on every call was a
 * tenth of the local host's CPU under load (bench joiners). Same SQL text → same compiled statement.
 * Bounded, because a few statements carry variable-length IN lists.
 */
function cachePreparedStatements(db: Database.Database): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= 500) cache.clear();
      statement = compile(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as typeof db.prepare;
}
