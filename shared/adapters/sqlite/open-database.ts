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
  beginImmediately(db);
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

/**
 * `db.transaction(fn)()` begins IMMEDIATE, taking the write lock at BEGIN. A DEFERRED transaction (better-sqlite3's
 * default) that reads and then writes must upgrade its lock; in WAL mode, when another connection holds the write
 * lock then, SQLite answers SQLITE_BUSY at once instead of calling the busy handler, since waiting could deadlock
 * (https://www.sqlite.org/c3ref/busy_handler.html, https://www.sqlite.org/lang_transaction.html). The chaos run's
 * locked-inbox fault found it: every HR event's inbox append (read the last seq, then insert) failed in a few ms, ten
 * deliveries in under two seconds, and Service Bus dead-lettered them. Begun IMMEDIATE, a transaction waits for the
 * lock up to the busy timeout. One connection per file serves the host's single thread, so no read is held up.
 */
function beginImmediately(db: Database.Database): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const begun = transaction(fn);
    const immediate = (...args: unknown[]) => begun.immediate(...args);
    return Object.assign(immediate, {
      default: immediate,
      deferred: (...args: unknown[]) => begun.deferred(...args),
      immediate,
      exclusive: (...args: unknown[]) => begun.exclusive(...args),
    });
  }) as typeof db.transaction;
}
