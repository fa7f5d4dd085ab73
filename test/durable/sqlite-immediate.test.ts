import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SqlitePersonInbox } from '../../shared/adapters/inbox/sqlite-person-inbox';

/**
 * Issue 24, the chaos run's locked-inbox fault (seed 20261202, 12 persons): while another connection held the
 * person-inbox file's write lock for 2 s, every HR event's inbox append (read the last seq, then insert) failed at
 * once with "database is locked", ten deliveries in under two seconds, and Service Bus dead-lettered 14 events. A
 * DEFERRED transaction that upgrades to a write in WAL mode gets SQLITE_BUSY without the busy handler; the stores'
 * transactions now begin IMMEDIATE and wait for the lock (open-database.ts).
 */
function holdWriteLock(file: string, ms: number): { locked: Promise<void>; released: Promise<void> } {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require(workerData.sqlite);
     const db = new Database(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     db.prepare('INSERT INTO inbox (employee_id, seq, message_id, message) VALUES (?, ?, ?, ?)')
       .run('other', 1, 'x', '{}');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     db.exec('COMMIT');
     db.close();
     parentPort.postMessage('released');`,
    { eval: true, workerData: { file, ms, sqlite: require.resolve('better-sqlite3') } },
  );
  let lockedResolve!: () => void;
  let releasedResolve!: () => void;
  const locked = new Promise<void>((resolve) => (lockedResolve = resolve));
  const released = new Promise<void>((resolve) => (releasedResolve = resolve));
  worker.on('message', (m: string) => (m === 'locked' ? lockedResolve() : releasedResolve()));
  return { locked, released };
}

describe('SQLite stores under another connection’s write lock', () => {
  it('an inbox append (read, then write) waits for the lock instead of failing at once', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-immediate-')), 'person-inbox.sqlite');
    const inbox = new SqlitePersonInbox(file);
    expect(await inbox.append('E1', 'm1', { n: 1 })).toBe(1);
    const lock = holdWriteLock(file, 400);
    await lock.locked;
    // The append blocks in SQLite's busy handler (up to the 5 s busy timeout) until the other writer commits.
    expect(await inbox.append('E1', 'm2', { n: 2 })).toBe(2);
    await lock.released;
    expect(await inbox.next('E1', 1)).toEqual({ seq: 2, message: { n: 2 } });
    expect(await inbox.next('other', 0)).toEqual({ seq: 1, message: {} });
  });
});
